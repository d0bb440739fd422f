using System.Collections.Concurrent;

namespace Broadcast.Sandbox.Hosting;

/// <summary>Counters and deliveries of one vendor. Replaced as a whole when records are cleared.</summary>
internal sealed class VendorLedger
{
    private long _requests;
    private long _accepted;
    private long _rejected;

    public ConcurrentDictionary<string, int> Deliveries { get; } = new(StringComparer.Ordinal);

    public long Requests => Interlocked.Read(ref _requests);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Rejected => Interlocked.Read(ref _rejected);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountOutcome(bool accepted)
    {
        if (accepted)
            Interlocked.Increment(ref _accepted);
        else
            Interlocked.Increment(ref _rejected);
    }

    public void Deliver(string recipient) => Deliveries.AddOrUpdate(recipient, 1, static (_, n) => n + 1);
}
