namespace Broadcast.Core.Vendors;

/// <summary>Paces this process's sends on one vendor account and channel, shared by every batch in the process:
/// evenly spaced slots at this process's share of the channel's rate (no bursts a vendor would answer 429 to), a
/// cap on calls in flight (this process's share of the channel's concurrency), and a channel-wide pause and
/// slow-down when the vendor says 429. The share is set by <see cref="Pacing.ChannelCoordinator"/>, which agrees
/// it with the other instances; until it has, nothing is let through.</summary>
public sealed class ChannelThrottle
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private int _inFlight;
    private int _concurrency;
    private double _rate = double.PositiveInfinity;
    private long _nextSlot;        // TimeProvider timestamps
    private long _pausedUntil;
    private double _factor = 1.0;  // share of the rate in use after 429s
    private long _lastSlowdown;
    private int _generation;       // bumped when the pace slows, so slots taken at the old pace are taken again
    private long _lastGranted;     // the slot of the last send let through: slots taken again start from it
    private long _acquired;

    public ChannelThrottle(TimeProvider time) => _time = time;

    /// <summary>A throttle that needs no agreement: the whole rate and concurrency are this process's.</summary>
    public ChannelThrottle(double ratePerSecond, int maxConcurrency, TimeProvider time) : this(time) =>
        SetShare(ratePerSecond > 0 ? ratePerSecond : double.PositiveInfinity, Math.Max(1, maxConcurrency));

    /// <summary>Sends started so far (the coordinator reports it, and knows from it whether the channel is busy here).</summary>
    public long Acquired => Interlocked.Read(ref _acquired);

    /// <summary>Sends waiting for a slot or in flight now.</summary>
    public int Demand
    {
        get { lock (_gate) return _waiters.Count + _inFlight; }
    }

    public double Rate
    {
        get { lock (_gate) return _rate * _factor; }
    }

    public int Concurrency
    {
        get { lock (_gate) return _concurrency; }
    }

    /// <summary>This process's part of the channel: messages per second (infinity = unpaced) and calls in flight
    /// (0 holds every send).</summary>
    public void SetShare(double ratePerSecond, int concurrency)
    {
        lock (_gate)
        {
            var slower = ratePerSecond < _rate;
            _rate = ratePerSecond;
            if (slower) Retake();
            _concurrency = Math.Max(0, concurrency);
            Pump();
        }
    }

    /// <summary>Waits for a slot; dispose the lease when the call has its answer.</summary>
    public async ValueTask<Lease> AcquireAsync(CancellationToken ct)
    {
        await EnterAsync(ct);
        try
        {
            while (true)
            {
                var (wait, generation) = Reserve();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct);
                if (StillValid(generation)) break;
            }
            Interlocked.Increment(ref _acquired);
            return new Lease(this);
        }
        catch
        {
            Exit();
            throw;
        }
    }

    private async ValueTask EnterAsync(CancellationToken ct)
    {
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _inFlight < _concurrency)
            {
                _inFlight++;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }
        await using (ct.Register(() =>
        {
            lock (_gate)
            {
                if (node.List is not null && waiter.TrySetCanceled(ct)) _waiters.Remove(node);
            }
        }))
        {
            await waiter.Task;
        }
    }

    private void Exit()
    {
        lock (_gate)
        {
            _inFlight--;
            Pump();
        }
    }

    /// <summary>Lets waiters in while there is room. Called under the lock.</summary>
    private void Pump()
    {
        while (_inFlight < _concurrency && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            if (first.Value.TrySetResult()) _inFlight++;
        }
    }

    private (TimeSpan Wait, int Generation) Reserve()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var start = Math.Max(now, _pausedUntil);
            if (double.IsPositiveInfinity(_rate)) return (_time.GetElapsedTime(now, start), _generation);
            RecoverRate(now);
            var slot = Math.Max(start, _nextSlot);
            _nextSlot = slot + (long)(_time.TimestampFrequency / (_rate * _factor));
            return (_time.GetElapsedTime(now, slot), _generation);
        }
    }

    /// <summary>False when a pause began or the pace slowed while waiting: the slot is taken again.</summary>
    private bool StillValid(int generation)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (now < _pausedUntil || generation != _generation) return false;
            _lastGranted = now;
            return true;
        }
    }

    /// <summary>The pace slowed: every slot reserved at the old pace is taken again, from one interval at the new pace
    /// after the last send let through (not after the slots given back: that would leave a gap as long as they
    /// reached ahead). Called under the lock.</summary>
    private void Retake()
    {
        _generation++;
        if (double.IsPositiveInfinity(_rate) || _rate <= 0 || _lastGranted == 0) return;
        _nextSlot = Math.Min(_nextSlot, _lastGranted + (long)(_time.TimestampFrequency / (_rate * _factor)));
    }

    /// <summary>A 429: every send on this channel waits out Retry-After, and the pace halves (down to a tenth),
    /// recovering gradually while no further 429 comes.</summary>
    public void SlowDown(TimeSpan? retryAfter)
    {
        var pause = retryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromSeconds(1);
        PauseFor(pause, halve: true);
    }

    /// <summary>Pauses this process's sends for <paramref name="pause"/> from now (a 429 seen by another instance).</summary>
    public void PauseFor(TimeSpan pause, bool halve)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _pausedUntil = Math.Max(_pausedUntil, now + (long)(pause.TotalSeconds * _time.TimestampFrequency));
            // One halving per pause window, however many sends saw the same 429 storm.
            if (halve && now - _lastSlowdown > _time.TimestampFrequency / 2)
            {
                _factor = Math.Max(0.1, _factor / 2);
                _lastSlowdown = now;
                Retake();
            }
        }
    }

    private void RecoverRate(long now)
    {
        if (_factor >= 1.0) return;
        var seconds = (double)(now - _lastSlowdown) / _time.TimestampFrequency;
        if (seconds > 1)
        {
            _factor = Math.Min(1.0, _factor + 0.1 * seconds);
            _lastSlowdown = now;
        }
    }

    public readonly struct Lease(ChannelThrottle throttle) : IDisposable
    {
        public void Dispose() => throttle?.Exit();
    }
}
