using System.Collections.Concurrent;
using System.Diagnostics;

namespace Broadcast.Core.Vendors;

/// <summary>Paces the sends of one vendor account and channel, shared by every batch in the process:
/// evenly spaced slots at the configured rate (no bursts a vendor would answer 429 to), a cap on calls in
/// flight, and a channel-wide pause and slow-down when the vendor says 429.</summary>
public sealed class ChannelThrottle
{
    private readonly double _rate;
    private readonly SemaphoreSlim _inFlight;
    private readonly object _gate = new();
    private long _nextSlot;       // Stopwatch ticks
    private long _pausedUntil;    // Stopwatch ticks
    private double _factor = 1.0; // share of the configured rate in use after 429s
    private long _lastSlowdown;

    public ChannelThrottle(double ratePerSecond, int maxConcurrency)
    {
        _rate = ratePerSecond;
        _inFlight = new SemaphoreSlim(Math.Max(1, maxConcurrency));
    }

    /// <summary>Waits for a slot; dispose the lease when the call has its answer.</summary>
    public async ValueTask<Lease> AcquireAsync(CancellationToken ct)
    {
        await _inFlight.WaitAsync(ct);
        try
        {
            var wait = Reserve();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            return new Lease(_inFlight);
        }
        catch
        {
            _inFlight.Release();
            throw;
        }
    }

    private TimeSpan Reserve()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var start = Math.Max(now, _pausedUntil);
            if (_rate <= 0) return Stopwatch.GetElapsedTime(now, start);
            RecoverRate(now);
            var slot = Math.Max(start, _nextSlot);
            _nextSlot = slot + (long)(Stopwatch.Frequency / (_rate * _factor));
            return Stopwatch.GetElapsedTime(now, slot);
        }
    }

    /// <summary>A 429: every send on this channel waits out Retry-After, and the pace halves (down to a tenth),
    /// recovering gradually while no further 429 comes.</summary>
    public void SlowDown(TimeSpan? retryAfter)
    {
        var now = Stopwatch.GetTimestamp();
        var pause = retryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromSeconds(1);
        lock (_gate)
        {
            _pausedUntil = Math.Max(_pausedUntil, now + (long)(pause.TotalSeconds * Stopwatch.Frequency));
            // One halving per pause window, however many sends saw the same 429 storm.
            if (now - _lastSlowdown > Stopwatch.Frequency / 2)
            {
                _factor = Math.Max(0.1, _factor / 2);
                _lastSlowdown = now;
            }
        }
    }

    private void RecoverRate(long now)
    {
        if (_factor >= 1.0) return;
        var seconds = (double)(now - _lastSlowdown) / Stopwatch.Frequency;
        if (seconds > 1)
        {
            _factor = Math.Min(1.0, _factor + 0.1 * seconds);
            _lastSlowdown = now;
        }
    }

    public readonly struct Lease(SemaphoreSlim inFlight) : IDisposable
    {
        public void Dispose() => inFlight.Release();
    }
}

/// <summary>One throttle per vendor account and channel.</summary>
public sealed class ChannelThrottles
{
    private readonly ConcurrentDictionary<string, ChannelThrottle> _throttles = new();

    public ChannelThrottle For(string channelKey, VendorOptions options) =>
        _throttles.GetOrAdd(channelKey, _ => new ChannelThrottle(options.RatePerSecond, options.MaxConcurrency));
}
