using Broadcast.Core.Pacing;
using Broadcast.Core.Vendors;
using Microsoft.Extensions.Time.Testing;

namespace Broadcast.Tests.Unit.Pacing;

/// <summary>The local half of pacing, on a fake clock: slots at the share's pace, concurrency held at the share,
/// a 429 pausing every send, and the split of a channel between instances.</summary>
public sealed class ChannelThrottleTests
{
    private static async Task<int> LetThroughAsync(FakeTimeProvider clock, ChannelThrottle throttle, int callers, TimeSpan span)
    {
        var done = 0;
        var tasks = Enumerable.Range(0, callers).Select(async _ =>
        {
            using (await throttle.AcquireAsync(CancellationToken.None)) Interlocked.Increment(ref done);
        }).ToList();
        for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(5))
        {
            await Task.Yield();
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.Delay(1); // lets the continuations of the fired timers run
        }
        return Volatile.Read(ref done);
    }

    [Fact]
    public async Task Sends_are_spaced_at_the_share_of_the_rate()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(40, 100);

        var sent = await LetThroughAsync(clock, throttle, 100, TimeSpan.FromSeconds(1));

        Assert.InRange(sent, 38, 42); // 40/s for one second, first one at once
    }

    [Fact]
    public async Task A_zero_concurrency_share_holds_every_send_until_a_share_is_agreed()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(double.PositiveInfinity, 0);
        var acquire = throttle.AcquireAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(acquire.IsCompleted);
        Assert.Equal(1, throttle.Demand);

        throttle.SetShare(double.PositiveInfinity, 1);
        using var lease = await acquire.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, throttle.Acquired);
    }

    [Fact]
    public async Task Calls_in_flight_never_exceed_the_concurrency_share()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(double.PositiveInfinity, 3);
        var leases = new List<ChannelThrottle.Lease>();
        for (var i = 0; i < 3; i++) leases.Add(await throttle.AcquireAsync(CancellationToken.None));
        var fourth = throttle.AcquireAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(fourth.IsCompleted);

        throttle.SetShare(double.PositiveInfinity, 2); // shrinks: one leaving does not let the fourth in
        leases[0].Dispose();
        await Task.Delay(50);
        Assert.False(fourth.IsCompleted);
        leases[1].Dispose();
        using var lease = await fourth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_canceled_waiter_gives_its_place_back()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(double.PositiveInfinity, 1);
        var first = await throttle.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var canceled = throttle.AcquireAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        first.Dispose();
        using var next = await throttle.AcquireAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, throttle.Demand - 1);
    }

    [Fact]
    public async Task A_429_pauses_every_send_for_Retry_After_and_halves_the_pace()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(80, 100);
        throttle.SlowDown(TimeSpan.FromSeconds(2));
        Assert.Equal(40, throttle.Rate, 3);

        var done = 0;
        var waiters = Enumerable.Range(0, 100).Select(async _ =>
        {
            using (await throttle.AcquireAsync(CancellationToken.None)) Interlocked.Increment(ref done);
        }).ToList();
        async Task AdvanceAsync(TimeSpan span)
        {
            for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(5))
            {
                clock.Advance(TimeSpan.FromMilliseconds(5));
                await Task.Delay(1);
            }
        }

        await AdvanceAsync(TimeSpan.FromSeconds(1.9));
        Assert.Equal(0, Volatile.Read(ref done));
        await AdvanceAsync(TimeSpan.FromSeconds(1.1));
        Assert.InRange(Volatile.Read(ref done), 35, 55); // about 40/s once the pause is over, recovering slowly
    }

    [Theory]
    [InlineData(80, 32, 1)]
    [InlineData(80, 32, 2)]
    [InlineData(80, 32, 3)]
    [InlineData(1000, 64, 4)]
    [InlineData(80, 5, 7)]
    public void Shares_of_live_instances_add_up_to_exactly_the_channel(double rate, int concurrency, int instances)
    {
        var live = Enumerable.Range(0, instances).Select(i => $"i:host-{i}:1").ToList();
        var shares = live.Select(me => ChannelCoordinator.ShareOf(me, live, rate, concurrency)).ToList();

        Assert.Equal(rate, shares.Sum(s => s.Rate), 6);
        Assert.Equal(concurrency, shares.Sum(s => s.Concurrency));
        Assert.True(shares.Max(s => s.Concurrency) - shares.Min(s => s.Concurrency) <= 1);
        Assert.Equal((double.PositiveInfinity, 0), ChannelCoordinator.ShareOf("i:not-live:1", live, rate, concurrency));
    }
}
