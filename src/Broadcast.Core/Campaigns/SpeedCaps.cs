using System.Collections.Concurrent;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Campaigns;

/// <summary>max_per_minute for the whole deployment: a broadcast with a cap is paced the way a channel is, by a
/// <see cref="ChannelCoordinator"/> of its own (<see cref="Key"/>) in the same lease table. Every instance sending
/// the broadcast renews its row there and takes its share, max_per_minute / 60 per second split among them, as evenly
/// spaced slots; an instance that joins waits until the others have shrunk. A send takes its slot here first, then
/// the channel's (<see cref="Workflow.VendorSender"/>): the broadcast never goes faster than its cap, nor the channel
/// than its rate.</summary>
public sealed class SpeedCaps(ITableStore tables, StorageNames names, ChannelPacers channels, PacingOptions options, TimeProvider time,
    ILogger<SpeedCaps> log)
    : IAsyncDisposable
{
    /// <summary>Sends of one instance that may hold a reserved slot of a broadcast at once (the others queue without
    /// one): it bounds how far ahead slots are taken, and so how many are dropped when the broadcast stops. Split among
    /// the instances like a channel's concurrency, so up to this many instances each get a part.</summary>
    public const int SlotsAhead = 64;

    /// <summary>A cap nobody here used for this long is dropped (its broadcast finished or moved to another instance).</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    private sealed class Cap(ChannelCoordinator coordinator, DateTimeOffset now)
    {
        public ChannelCoordinator Coordinator { get; } = coordinator;
        public DateTimeOffset LastUsed { get; set; } = now;
    }

    private readonly ConcurrentDictionary<string, Lazy<Cap>> _caps = new(StringComparer.Ordinal);

    /// <summary>The broadcast's partition key in the lease table, beside the channels' (hashed like them).</summary>
    public static string Key(string broadcastId) => "broadcast:" + broadcastId;

    /// <summary>Waits for the broadcast's next send slot. False without one when <paramref name="stop"/> is canceled
    /// first (the broadcast stopped, or the batch run ended): the caller then does not send. No cap: true at once.</summary>
    public async Task<bool> TurnAsync(string broadcastId, int? maxPerMinute, CancellationToken stop)
    {
        if (maxPerMinute is not (> 0 and var perMinute)) return true;
        if (stop.IsCancellationRequested) return false;
        var cap = _caps.GetOrAdd(broadcastId, id => new Lazy<Cap>(() => new Cap(new ChannelCoordinator(
            tables, names.ChannelLeasesTable, Key(id), channels.Instance, perMinute / 60.0, SlotsAhead, options, time, log), time.GetUtcNow()))).Value;
        cap.LastUsed = time.GetUtcNow();
        try
        {
            // The slot is the pace; nothing is held while the call goes out, so the call's latency does not slow it.
            using (await cap.Coordinator.AcquireAsync(stop)) { }
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            cap.LastUsed = time.GetUtcNow();
            await ForgetIdleAsync(cap.LastUsed);
        }
    }

    private async Task ForgetIdleAsync(DateTimeOffset now)
    {
        if (_caps.Count < 64) return;
        foreach (var (id, lazy) in _caps)
        {
            if (!lazy.IsValueCreated || now - lazy.Value.LastUsed < ForgetAfter || lazy.Value.Coordinator.Throttle.Demand > 0) continue;
            if (_caps.TryRemove(new KeyValuePair<string, Lazy<Cap>>(id, lazy))) await lazy.Value.Coordinator.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cap in _caps.Values.Where(c => c.IsValueCreated)) await cap.Value.Coordinator.DisposeAsync();
    }
}
