using System.Diagnostics;

namespace Broadcast.Sandbox.Hosting;

/// <summary>Capacity = rate, refilled continuously. The lock guards a few arithmetic operations only.</summary>
internal sealed class TokenBucket(int ratePerSecond)
{
    private readonly Lock _gate = new();
    private double _tokens = ratePerSecond;
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var elapsed = (now - _last) / (double)Stopwatch.Frequency;
            _last = now;
            _tokens = Math.Min(ratePerSecond, _tokens + elapsed * ratePerSecond);
            if (_tokens < 1)
                return false;
            _tokens -= 1;
            return true;
        }
    }
}
