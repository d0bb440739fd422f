using System.Collections.Concurrent;

namespace Broadcast.Core.Workflow;

/// <summary>Lets every send check "was this broadcast canceled?" without a storage read per send: a cancel in
/// this process is seen at once; one in another process within <see cref="RefreshEvery"/>, by a background
/// refresh of the broadcasts being worked on here.</summary>
public sealed class CancelWatch : IDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, Entry> _watched = new();
    private readonly BroadcastStore _broadcasts;
    private readonly Timer _timer;
    private int _refreshing;

    public CancelWatch(BroadcastStore broadcasts)
    {
        _broadcasts = broadcasts;
        _timer = new Timer(_ => _ = RefreshAsync(), null, RefreshEvery, RefreshEvery);
    }

    private sealed class Entry
    {
        public int Users;
        public volatile bool Canceled;
    }

    public bool IsCanceled(string broadcastId) => _watched.TryGetValue(broadcastId, out var e) && e.Canceled;

    public void MarkCanceled(string broadcastId)
    {
        if (_watched.TryGetValue(broadcastId, out var e)) e.Canceled = true;
    }

    /// <summary>Watch a broadcast while a batch of it is being sent.</summary>
    public IDisposable Watch(string broadcastId, bool canceledNow)
    {
        var entry = _watched.AddOrUpdate(broadcastId, _ => new Entry { Users = 1 }, (_, e) => { Interlocked.Increment(ref e.Users); return e; });
        if (canceledNow) entry.Canceled = true;
        return new Release(this, broadcastId, entry);
    }

    private sealed class Release(CancelWatch owner, string id, Entry entry) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            if (Interlocked.Decrement(ref entry.Users) == 0) owner._watched.TryRemove(new KeyValuePair<string, Entry>(id, entry));
        }
    }

    private async Task RefreshAsync()
    {
        if (_watched.IsEmpty || Interlocked.Exchange(ref _refreshing, 1) == 1) return;
        try
        {
            foreach (var (id, entry) in _watched)
            {
                if (entry.Canceled) continue;
                var record = await _broadcasts.GetAsync(id, CancellationToken.None);
                if (record is not null && BroadcastStatus.IsCancelRequested(record.Status)) entry.Canceled = true;
            }
        }
        catch (Exception)
        {
            // Storage hiccup: the next tick tries again.
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
