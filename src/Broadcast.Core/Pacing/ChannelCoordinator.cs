using Broadcast.Core.Storage;
using Broadcast.Core.Vendors;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Pacing;

/// <summary>
/// One channel's pace and concurrency shared by every instance that sends on it, through a lease table in the
/// storage account they already share (no extra server). While this process sends on the channel it renews its
/// row every <see cref="PacingOptions.HeartbeatInterval"/> and reads the partition back (two entity operations,
/// whatever the rate); the live, active rows, sorted, split the channel: rate/N each, and the concurrency divided
/// so that the parts add up to exactly the setting. A 429 is written to the partition's <c>slowdown</c> row, which
/// every instance reads on its next renewal.
/// <para>Never more than the limit: an instance that joins while others send waits one heartbeat (and a margin)
/// before taking its share, by which time each of the others has read its row and shrunk; an instance whose
/// renewals fail holds its sends before its row can expire; a dead instance's row expires after
/// <see cref="PacingOptions.LeaseDuration"/> and the others take its share on their next renewal.</para>
/// </summary>
public sealed class ChannelCoordinator : IAsyncDisposable
{
    private const string InstancePrefix = "i:";
    private const string SlowdownRow = "slowdown";
    /// <summary>Rows of instances that died are deleted by whoever sees them this long after they expired.</summary>
    private static readonly TimeSpan ForgetDeadAfter = TimeSpan.FromMinutes(1);
    /// <summary>A joiner waits this much beyond one heartbeat: the others' renewals take a storage round trip.</summary>
    private static readonly TimeSpan JoinMargin = TimeSpan.FromMilliseconds(250);
    /// <summary>A storm of 429s is published at most this often by one instance.</summary>
    private static readonly TimeSpan PublishSlowdownEvery = TimeSpan.FromMilliseconds(500);

    private readonly ITableStore _tables;
    private readonly string _table;
    private readonly string _instance;
    private readonly double _rate;
    private readonly int _concurrency;
    private readonly PacingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _session;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _active;
    private long _ops;
    private string? _lastSlowdownEvent;
    private DateTimeOffset _lastPublished = DateTimeOffset.MinValue;

    public ChannelCoordinator(ITableStore tables, string table, string channelKey, string instance, double ratePerSecond,
        int maxConcurrency, PacingOptions options, TimeProvider time, ILogger log)
    {
        _tables = tables;
        _table = table;
        Partition = PacingKeys.Channel(channelKey);
        _instance = instance;
        _rate = ratePerSecond;
        _concurrency = Math.Max(1, maxConcurrency);
        _options = options;
        _time = time;
        _log = log;
        Throttle = new ChannelThrottle(time);
        Throttle.SetShare(double.PositiveInfinity, 0); // nothing goes out before the first agreement
    }

    /// <summary>The channel's partition in the lease table (a hash: a channel key can hold a device key).</summary>
    public string Partition { get; }

    public ChannelThrottle Throttle { get; }

    /// <summary>Storage operations this process has spent pacing this channel.</summary>
    public long StorageOperations => Interlocked.Read(ref _ops);

    /// <summary>Waits for a slot of this process's share; dispose the lease when the call has its answer.</summary>
    public ValueTask<ChannelThrottle.Lease> AcquireAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_loop is null || _loop.IsCompleted)
            {
                _session++;
                _active = false;
                _loop = Task.Run(() => RunAsync(_session));
            }
            else if (!_active) _wake.TrySetResult();
        }
        return Throttle.AcquireAsync(ct);
    }

    /// <summary>The vendor answered 429: this process slows at once, the others on their next renewal.</summary>
    public void Throttled(TimeSpan? retryAfter)
    {
        Throttle.SlowDown(retryAfter);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastPublished < PublishSlowdownEvery) return;
            _lastPublished = now;
        }
        var pause = retryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromSeconds(1);
        var evt = Guid.NewGuid().ToString("N");
        _lastSlowdownEvent = evt;
        _ = PublishSlowdownAsync(now + pause, evt);
    }

    private async Task PublishSlowdownAsync(DateTimeOffset until, string evt)
    {
        var row = new TableRow(Partition, SlowdownRow) { ["PausedUntil"] = until, ["Event"] = evt, ["By"] = _instance };
        try
        {
            Interlocked.Increment(ref _ops);
            await _tables.ReplaceAsync(_table, row, _stop.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning("Pacing: could not tell the other instances about a 429 ({Error})", e.Message);
        }
    }

    private async Task RunAsync(int session)
    {
        var row = $"{InstancePrefix}{_instance}:{session}";
        var lastOk = _time.GetUtcNow();
        var lastDemand = _time.GetUtcNow();
        var acquiredBefore = Throttle.Acquired;
        var joined = false;
        var ct = _stop.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                var acquired = Throttle.Acquired;
                var busy = Throttle.Demand > 0 || acquired != acquiredBefore;
                acquiredBefore = acquired;
                if (busy) lastDemand = now;
                TaskCompletionSource wake;
                bool active;
                lock (_gate)
                {
                    // Active while sending, and for two heartbeats after (a batch reading its next page is still busy).
                    _active = busy || now - lastDemand < _options.HeartbeatInterval * 2;
                    active = _active;
                    if (!active && now - lastDemand >= _options.IdleAfter)
                    {
                        _loop = null; // the next send starts a new session (with a new row)
                        break;
                    }
                    if (_wake.Task.IsCompleted) _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    wake = _wake;
                }
                if (!active) Throttle.SetShare(double.PositiveInfinity, 0); // given back before the others take it

                var next = _options.HeartbeatInterval;
                try
                {
                    var (live, others) = await BeatAsync(row, now, active, ct);
                    lastOk = now;
                    if (!active) joined = false;
                    else if (!joined && others > 0)
                    {
                        joined = true;
                        next = _options.HeartbeatInterval + JoinMargin; // the others shrink before this one grows
                    }
                    else
                    {
                        joined = true;
                        var (rate, concurrency) = ShareOf(row, live, _rate, _concurrency);
                        Throttle.SetShare(rate, concurrency);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _log.LogWarning("Pacing: renewing this instance's share failed ({Error})", e.Message);
                    if (_time.GetUtcNow() - lastOk >= _options.HoldAfter) Throttle.SetShare(double.PositiveInfinity, 0);
                }
                await Task.WhenAny(Task.Delay(next, _time, ct), wake.Task);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        Throttle.SetShare(double.PositiveInfinity, 0);
        try
        {
            Interlocked.Increment(ref _ops);
            await _tables.DeleteAsync(_table, Partition, row, CancellationToken.None);
        }
        catch (Exception)
        {
            // It expires by itself.
        }
    }

    /// <summary>Renews this instance's row and reads the partition: the live, active instances (this one included
    /// when active) and how many of them are others.</summary>
    private async Task<(List<string> Live, int Others)> BeatAsync(string row, DateTimeOffset now, bool active, CancellationToken ct)
    {
        var mine = new TableRow(Partition, row)
        {
            ["ExpiresAt"] = now + _options.LeaseDuration,
            ["Active"] = active,
            ["Rate"] = double.IsPositiveInfinity(Throttle.Rate) ? 0.0 : Throttle.Rate,
            ["Concurrency"] = Throttle.Concurrency,
            ["Sent"] = Throttle.Acquired,
            ["Ops"] = Interlocked.Read(ref _ops) + 2,
        };
        Interlocked.Add(ref _ops, 2);
        await _tables.ReplaceAsync(_table, mine, ct);
        var page = await _tables.QueryAsync(_table, Partition, null, 1000, null, ct);

        var live = new List<string>();
        foreach (var r in page.Rows)
        {
            if (r.RowKey == SlowdownRow)
            {
                ApplySlowdown(r, now);
                continue;
            }
            if (!r.RowKey.StartsWith(InstancePrefix, StringComparison.Ordinal)) continue;
            var expires = r.GetDate("ExpiresAt") ?? DateTimeOffset.MinValue;
            if (r.RowKey == row) continue;
            if (expires > now && r.GetBool("Active")) live.Add(r.RowKey);
            else if (expires < now - ForgetDeadAfter) _ = ForgetAsync(r.RowKey);
        }
        var others = live.Count;
        if (active) live.Add(row);
        return (live, others);
    }

    /// <summary>This instance's part of a channel shared by the <paramref name="live"/> instances: rate/N each, and
    /// the concurrency split by rank so that the parts add up to exactly <paramref name="maxConcurrency"/>.</summary>
    public static (double Rate, int Concurrency) ShareOf(string me, IReadOnlyCollection<string> live, double ratePerSecond, int maxConcurrency)
    {
        var sorted = live.Distinct().Order(StringComparer.Ordinal).ToList();
        var rank = sorted.IndexOf(me);
        if (rank < 0) return (double.PositiveInfinity, 0);
        var n = sorted.Count;
        var rate = ratePerSecond > 0 ? ratePerSecond / n : double.PositiveInfinity;
        var concurrency = maxConcurrency / n + (rank < maxConcurrency % n ? 1 : 0);
        return (rate, concurrency);
    }

    private void ApplySlowdown(TableRow row, DateTimeOffset now)
    {
        var evt = row.GetString("Event");
        if (evt is null || evt == _lastSlowdownEvent) return;
        _lastSlowdownEvent = evt;
        if (row.GetDate("PausedUntil") is { } until && until > now) Throttle.PauseFor(until - now, halve: true);
    }

    private async Task ForgetAsync(string row)
    {
        try
        {
            Interlocked.Increment(ref _ops);
            await _tables.DeleteAsync(_table, Partition, row, CancellationToken.None);
        }
        catch (Exception)
        {
            // Another instance deleted it first, or storage is busy: it is ignored either way.
        }
    }

    private int _disposed;

    /// <summary>Stops renewing and deletes this instance's row: the others take its share on their next renewal.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        Task? loop;
        lock (_gate) loop = _loop;
        if (loop is not null) await loop;
        _stop.Dispose();
    }
}
