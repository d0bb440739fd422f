using System.Collections.Concurrent;

namespace Broadcast.Core.Workflow;

/// <summary>Bounds how many at_most_once recipients one process has marked "sending" on a channel at once: the
/// channel's MaxConcurrency. A batch takes a share before it marks a wave and keeps it until its last wave is
/// committed, reusing it wave after wave (each write commits the last wave's outcomes and marks the next). After a
/// crash only marked recipients end unknown, so they are at most the calls that could really be in flight, however
/// many batches were running; the others were never marked and are still sent.</summary>
public sealed class AtMostOnceWindow
{
    private readonly ConcurrentDictionary<string, Window> _channels = new();

    /// <summary>Waits (first come, first served) until <paramref name="wanted"/> of the channel's
    /// <paramref name="size"/> places are free, and holds them until disposed.</summary>
    public Task<IDisposable> AcquireAsync(string channelKey, int size, int wanted, CancellationToken ct) =>
        _channels.GetOrAdd(channelKey, _ => new Window(size)).AcquireAsync(Math.Clamp(wanted, 1, size), ct);

    private sealed class Window(int size)
    {
        private readonly LinkedList<(int Wanted, TaskCompletionSource<IDisposable> Granted)> _waiters = [];
        private int _free = size;

        public Task<IDisposable> AcquireAsync(int wanted, CancellationToken ct)
        {
            lock (_waiters)
            {
                if (_waiters.Count == 0 && _free >= wanted)
                {
                    _free -= wanted;
                    return Task.FromResult<IDisposable>(new Held(this, wanted));
                }
                var granted = new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
                var node = _waiters.AddLast((wanted, granted));
                if (ct.CanBeCanceled)
                    ct.Register(() =>
                    {
                        lock (_waiters)
                        {
                            if (node.List is null || !granted.TrySetCanceled(ct)) return;
                            _waiters.Remove(node);
                            GrantWaiting();
                        }
                    });
                return granted.Task;
            }
        }

        private void Release(int count)
        {
            lock (_waiters)
            {
                _free += count;
                GrantWaiting();
            }
        }

        /// <summary>Caller holds the lock.</summary>
        private void GrantWaiting()
        {
            while (_waiters.First is { } first && first.Value.Wanted <= _free)
            {
                _waiters.RemoveFirst();
                _free -= first.Value.Wanted;
                if (!first.Value.Granted.TrySetResult(new Held(this, first.Value.Wanted))) _free += first.Value.Wanted;
            }
        }

        private sealed class Held(Window window, int count) : IDisposable
        {
            private int _released;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _released, 1) == 0) window.Release(count);
            }
        }
    }
}
