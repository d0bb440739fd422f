using Microsoft.Extensions.Time.Testing;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>A fake clock that runs on by itself, <see cref="Tick"/> per millisecond of real time (20 times as fast):
/// the product's own waits (backoff, Retry-After, pacing) pass in a moment while their lengths stay exact in its
/// time. For tests of what happens inside a batch; the engine's durable timers keep real time.</summary>
public sealed class RunningClock : FakeTimeProvider, IDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    private readonly CancellationTokenSource _stop = new();

    public RunningClock() : base(DateTimeOffset.UtcNow)
    {
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(1);
                Advance(Tick);
            }
        });
    }

    public void Dispose() => _stop.Cancel();
}
