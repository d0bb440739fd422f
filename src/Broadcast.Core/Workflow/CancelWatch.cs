using System.Collections.Concurrent;

namespace Broadcast.Core.Workflow;

/// <summary>Lets every send check "was this broadcast canceled?" without a storage read per send: a cancel in
/// this process is seen at once; one in another process within <see cref="RefreshEvery"/>: every tick reads the
/// cancel notice (one row whose version every cancel changes), and only when it changed are the broadcasts being
/// worked on here read again, and at least every <see cref="FullRefreshEvery"/> in case a notice was not written.</summary>
public sealed class CancelWatch : IDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Bounds how late a cancel whose notice failed to be written is seen; each full look reads every
    /// watched broadcast, so it is kept rare.</summary>
    public static readonly TimeSpan FullRefreshEvery = TimeSpan.FromSeconds(2);

    private string? _noticeVersion;
    private long _noticeChangedAt;
    private long _lastFullRefresh = Environment.TickCount64;

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
        public volatile bool Looked = true;
    }

    public bool IsCanceled(string broadcastId) => _watched.TryGetValue(broadcastId, out var e) && e.Canceled;

    public void MarkCanceled(string broadcastId)
    {
        if (_watched.TryGetValue(broadcastId, out var e)) e.Canceled = true;
    }

    /// <summary>Watch a broadcast while a batch of it is being sent; <paramref name="readAt"/>: when the caller's copy
    /// of it was read (<see cref="BroadcastRecord.ReadAt"/>). A cancel noticed since then may have been one of it, so it
    /// then gets a look of its own at the next tick.</summary>
    public IDisposable Watch(string broadcastId, long readAt)
    {
        var entry = _watched.AddOrUpdate(broadcastId, _ => new Entry { Users = 1 }, (_, e) => { Interlocked.Increment(ref e.Users); return e; });
        if (readAt <= Volatile.Read(ref _noticeChangedAt)) entry.Looked = false;
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
            var version = await _broadcasts.CancelNoticeVersionAsync(CancellationToken.None);
            // Taken after the read: a broadcast read before it may be the one canceled (see Watch).
            var now = Environment.TickCount64;
            var all = version != _noticeVersion || now - _lastFullRefresh >= (long)FullRefreshEvery.TotalMilliseconds;
            if (version != _noticeVersion) Volatile.Write(ref _noticeChangedAt, now);
            if (all)
            {
                _noticeVersion = version;
                _lastFullRefresh = now;
            }
            foreach (var (id, entry) in _watched)
            {
                if (entry.Canceled || (!all && entry.Looked)) continue;
                var record = await _broadcasts.GetAsync(id, CancellationToken.None);
                entry.Looked = true;
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
