using System.Collections.Concurrent;
using Broadcast.Sandbox.Hosting;
using Broadcast.Sandbox.Qiscus;

namespace Broadcast.Sandbox;

/// <summary>
/// What the sandbox received and how it behaves. Thread-safe and lock-free on the request path.
/// </summary>
public sealed class SandboxState
{
    private readonly ConcurrentQueue<RecordedRequest> _records = new();
    private readonly VendorLedger[] _ledgers = [new(), new(), new()];
    private readonly ActiveBehavior[] _behaviors;
    private long _seq;
    private int _recordedCount;

    public SandboxState(SandboxSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _behaviors = [.. Vendors.All.Select(_ => new ActiveBehavior(new VendorBehavior()))];
        Qiscus = new QiscusBackend(settings.Record);
    }

    public SandboxSettings Settings { get; }

    internal QiscusBackend Qiscus { get; }

    /// <summary>Recorded requests in arrival order, optionally for one vendor. Empty when <see cref="SandboxSettings.Record"/> is false.</summary>
    public IReadOnlyList<RecordedRequest> Requests(string? vendor = null)
    {
        var filter = vendor is null ? null : Vendors.All[Vendors.IndexOf(vendor)];
        var list = _records.Where(r => filter is null || r.Vendor == filter).ToList();
        list.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return list;
    }

    /// <summary>Recipient (exactly as the vendor received it) → how many times the vendor accepted a message for it.</summary>
    public IReadOnlyDictionary<string, int> Deliveries(string vendor) =>
        new Dictionary<string, int>(Ledger(vendor).Deliveries, StringComparer.Ordinal);

    public long AcceptedCount(string vendor) => Ledger(vendor).Accepted;

    public long RejectedCount(string vendor) => Ledger(vendor).Rejected;

    public long TotalRequests(string vendor) => Ledger(vendor).Requests;

    public VendorStats Stats(string vendor)
    {
        var ledger = Ledger(vendor);
        return new VendorStats(ledger.Requests, ledger.Accepted, ledger.Rejected);
    }

    /// <summary>The rows of a CSV uploaded to Qiscus, or null when unknown (or released after sending when not recording).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? UploadedFile(long broadcastFileId) =>
        Qiscus.TryGetUpload(broadcastFileId, out var upload) ? upload.Rows() : null;

    /// <summary>Replaces the vendor's behaviour; its counters (FailNext, rate bucket...) start afresh.</summary>
    public void Configure(string vendor, VendorBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        if (behavior.Validate() is { } error)
            throw new ArgumentException(error, nameof(behavior));
        Volatile.Write(ref _behaviors[Vendors.IndexOf(vendor)], new ActiveBehavior(behavior));
    }

    public VendorBehavior Behavior(string vendor) => Volatile.Read(ref _behaviors[Vendors.IndexOf(vendor)]).Behavior;

    public void ResetBehaviors()
    {
        for (var i = 0; i < _behaviors.Length; i++)
            Volatile.Write(ref _behaviors[i], new ActiveBehavior(new VendorBehavior()));
    }

    /// <summary>Clears recorded requests, deliveries and counters.</summary>
    public void ClearRecords()
    {
        for (var i = 0; i < _ledgers.Length; i++)
            Volatile.Write(ref _ledgers[i], new VendorLedger());
        _records.Clear();
        Interlocked.Exchange(ref _recordedCount, 0);
    }

    /// <summary>Clears records, deliveries, counters, behaviours and uploaded Qiscus files. Ids keep increasing.</summary>
    public void Reset()
    {
        ClearRecords();
        ResetBehaviors();
        Qiscus.Clear();
    }

    private VendorLedger Ledger(string vendor) => Volatile.Read(ref _ledgers[Vendors.IndexOf(vendor)]);

    internal (VendorLedger Ledger, ActiveBehavior Behavior, long Seq) Begin(int vendorIndex)
    {
        var ledger = Volatile.Read(ref _ledgers[vendorIndex]);
        ledger.CountRequest();
        return (ledger, Volatile.Read(ref _behaviors[vendorIndex]), Interlocked.Increment(ref _seq));
    }

    internal void Record(RecordedRequest request)
    {
        var max = Settings.MaxRecorded;
        if (max == 0)
            return;
        _records.Enqueue(request);
        if (Interlocked.Increment(ref _recordedCount) > max && _records.TryDequeue(out _))
            Interlocked.Decrement(ref _recordedCount);
    }
}
