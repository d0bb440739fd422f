using Broadcast.Core.Storage;

namespace Broadcast.Storage;

/// <summary>How many storage calls of each <see cref="StorageLane"/> this process has in flight. A busy account (or
/// emulator) answers in arrival order, so what matters for a caller is how many calls are ahead of its own: reads
/// (<c>Storage__ReadConcurrency</c>) and background calls (<c>Storage__BackgroundConcurrency</c>) wait here instead,
/// and background calls get a quarter of their share while any API call or accept is in flight. Writes are never
/// held. One set per process, like the account it guards.</summary>
internal static class StorageCallGates
{
    private static SemaphoreSlim? _reads;
    private static BackgroundGate? _background;
    private static int _callersServed;

    public static void Configure(int readConcurrency, int backgroundConcurrency)
    {
        _reads = readConcurrency > 0 ? new SemaphoreSlim(readConcurrency) : null;
        _background = backgroundConcurrency > 0 ? new BackgroundGate(backgroundConcurrency, Math.Max(1, backgroundConcurrency / 4)) : null;
    }

    public static async ValueTask<Slot> EnterAsync(StorageLane lane)
    {
        if (lane == StorageLane.Background)
        {
            var background = _background;
            if (background is null) return default;
            await background.EnterAsync();
            return new Slot(lane, background, null);
        }
        Interlocked.Increment(ref _callersServed);
        var reads = lane == StorageLane.Read ? _reads : null;
        if (reads is not null) await reads.WaitAsync();
        return new Slot(lane, null, reads);
    }

    public readonly struct Slot(StorageLane lane, BackgroundGate? background, SemaphoreSlim? reads) : IDisposable
    {
        public void Dispose()
        {
            if (lane == StorageLane.Background)
            {
                background?.Release();
                return;
            }
            reads?.Release();
            if (Interlocked.Decrement(ref _callersServed) == 0) _background?.Widen();
        }
    }

    /// <summary>Lets <c>idle</c> calls through at once, or <c>busy</c> while callers are being served; first come,
    /// first served.</summary>
    internal sealed class BackgroundGate(int idle, int busy)
    {
        private readonly Queue<TaskCompletionSource> _waiting = new();
        private int _inFlight;

        private int Limit => Volatile.Read(ref _callersServed) > 0 ? busy : idle;

        public Task EnterAsync()
        {
            lock (_waiting)
            {
                if (_waiting.Count == 0 && _inFlight < Limit)
                {
                    _inFlight++;
                    return Task.CompletedTask;
                }
                var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(turn);
                return turn.Task;
            }
        }

        public void Release()
        {
            lock (_waiting)
            {
                _inFlight--;
                Admit();
            }
        }

        /// <summary>No caller is served any more: the full share again.</summary>
        public void Widen()
        {
            lock (_waiting) Admit();
        }

        private void Admit()
        {
            while (_waiting.Count > 0 && _inFlight < Limit)
            {
                _inFlight++;
                _waiting.Dequeue().SetResult();
            }
        }
    }
}
