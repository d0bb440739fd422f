using Broadcast.Core.Storage;

namespace Broadcast.Storage;

/// <summary>How many storage calls of each <see cref="StorageLane"/> one app has in flight. A busy account (or
/// emulator) answers in arrival order, so what matters for a caller is how many calls are ahead of its own: reads
/// (<c>Storage__ReadConcurrency</c>) and background calls (<c>Storage__BackgroundConcurrency</c>) wait here instead,
/// and background calls get a quarter of their share while any API call or accept is in flight. Writes are never
/// held. One instance per app, owned by its container (<see cref="StorageRegistration.AddBroadcastStorage"/>), so two
/// apps in one process (tests, benchmarks) each keep their own limits; the lane of a call is the current flow's
/// (<see cref="StorageLanes"/>).</summary>
public sealed class StorageCallGates
{
    private readonly SemaphoreSlim? _reads;
    private readonly BackgroundGate? _background;
    private int _callersServed;
    private int _readsWaiting;

    /// <param name="readConcurrency">API reads in flight at once; 0: no limit.</param>
    /// <param name="backgroundConcurrency">Background calls in flight at once, a quarter of it while callers are
    /// served; 0: no limit.</param>
    public StorageCallGates(int readConcurrency, int backgroundConcurrency)
    {
        ReadConcurrency = Math.Max(0, readConcurrency);
        BackgroundConcurrency = Math.Max(0, backgroundConcurrency);
        _reads = ReadConcurrency > 0 ? new SemaphoreSlim(ReadConcurrency) : null;
        // A quarter while callers are served: enough for sending to keep its pace, few enough that callers' own calls
        // are not queued behind it at the account; never none, or background work would stop under steady traffic.
        _background = BackgroundConcurrency > 0 ? new BackgroundGate(this, BackgroundConcurrency, Math.Max(1, BackgroundConcurrency / 4)) : null;
    }

    /// <summary>The gates the settings ask for.</summary>
    public static StorageCallGates From(StorageClientSettings settings) => new(settings.ReadConcurrency, settings.BackgroundConcurrency);

    public int ReadConcurrency { get; }
    public int BackgroundConcurrency { get; }

    /// <summary>API reads waiting for a slot right now.</summary>
    public int ReadsWaiting => Volatile.Read(ref _readsWaiting);

    /// <summary>A place at the lane's gate; null when an API read waited <paramref name="within"/> without one (the
    /// reads ahead of it were not answered: storage is gone or overloaded).</summary>
    public async ValueTask<Slot?> EnterAsync(StorageLane lane, TimeSpan? within = null)
    {
        if (lane == StorageLane.Background)
        {
            if (_background is null) return default;
            await _background.EnterAsync();
            return new Slot(this, lane);
        }
        Interlocked.Increment(ref _callersServed);
        if (lane == StorageLane.Read && _reads is not null)
        {
            Interlocked.Increment(ref _readsWaiting);
            try
            {
                if (!await _reads.WaitAsync(within ?? Timeout.InfiniteTimeSpan))
                {
                    Interlocked.Decrement(ref _callersServed);
                    return null;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _readsWaiting);
            }
        }
        return new Slot(this, lane);
    }

    private void Leave(StorageLane lane)
    {
        if (lane == StorageLane.Background)
        {
            _background?.Release();
            return;
        }
        if (lane == StorageLane.Read) _reads?.Release();
        if (Interlocked.Decrement(ref _callersServed) == 0) _background?.Widen();
    }

    /// <summary>A call's place at its gate, given back when disposed. The default slot holds nothing.</summary>
    public readonly struct Slot : IDisposable
    {
        private readonly StorageCallGates? _gates;
        private readonly StorageLane _lane;

        internal Slot(StorageCallGates gates, StorageLane lane)
        {
            _gates = gates;
            _lane = lane;
        }

        public void Dispose() => _gates?.Leave(_lane);
    }

    /// <summary>Lets <c>idle</c> calls through at once, or <c>busy</c> while callers are being served; first come,
    /// first served.</summary>
    private sealed class BackgroundGate(StorageCallGates gates, int idle, int busy)
    {
        private readonly Queue<TaskCompletionSource> _waiting = new();
        private int _inFlight;

        private int Limit => Volatile.Read(ref gates._callersServed) > 0 ? busy : idle;

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
