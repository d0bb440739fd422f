using System.Collections.Concurrent;

namespace Broadcast.Core.Campaigns;

/// <summary>max_per_minute: a broadcast's sends, in this process, evenly spaced at 60 / max_per_minute seconds
/// whatever the channel could do, across all its batches running here. One waiter at a time holds the turn and
/// gives it up at once when the broadcast stops (canceled, expired, window closed), so the rest settle quickly.</summary>
public sealed class SpeedCaps(TimeProvider time)
{
    /// <summary>A turn waits in slices this long, looking at whether its broadcast stopped in between.</summary>
    private static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(200);

    private sealed class Cap(TimeSpan interval)
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly TimeSpan Interval = interval;
        public DateTimeOffset Next = DateTimeOffset.MinValue;
        public DateTimeOffset LastUsed;
    }

    private readonly ConcurrentDictionary<string, Cap> _caps = new(StringComparer.Ordinal);

    /// <summary>Waits for the broadcast's next send slot; answers false without one when <paramref name="stopped"/>
    /// (the caller then does not send). No cap: true at once.</summary>
    public async Task<bool> TurnAsync(string broadcastId, int? maxPerMinute, Func<bool> stopped, CancellationToken ct)
    {
        if (maxPerMinute is not (> 0 and var perMinute)) return true;
        var cap = _caps.GetOrAdd(broadcastId, _ => new Cap(TimeSpan.FromMinutes(1) / perMinute));
        await cap.Gate.WaitAsync(ct);
        try
        {
            while (true)
            {
                if (stopped()) return false;
                var now = time.GetUtcNow();
                var wait = cap.Next - now;
                if (wait <= TimeSpan.Zero)
                {
                    // Evenly spaced from the first send: a late turn does not bank slots for a burst.
                    cap.Next = (cap.Next == DateTimeOffset.MinValue || cap.Next < now - cap.Interval ? now : cap.Next) + cap.Interval;
                    cap.LastUsed = now;
                    return true;
                }
                await Task.Delay(wait < LookEvery ? wait : LookEvery, time, ct);
            }
        }
        finally
        {
            cap.Gate.Release();
            Forget(time.GetUtcNow());
        }
    }

    /// <summary>Caps unused for ten minutes are dropped (their broadcast finished or moved to another instance).</summary>
    private void Forget(DateTimeOffset now)
    {
        if (_caps.Count < 64) return;
        foreach (var (id, cap) in _caps)
            if (now - cap.LastUsed > TimeSpan.FromMinutes(10) && cap.Gate.CurrentCount == 1) _caps.TryRemove(id, out _);
    }
}
