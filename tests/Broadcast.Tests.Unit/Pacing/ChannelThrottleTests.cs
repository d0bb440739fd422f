using Broadcast.Core.Pacing;
using Broadcast.Tests.Infrastructure;
using Broadcast.Core.Vendors;
using Microsoft.Extensions.Time.Testing;

namespace Broadcast.Tests.Unit.Pacing;

/// <summary>The local half of pacing, on a fake clock: slots at the share's pace, concurrency held at the share,
/// a 429 pausing every send, and the split of a channel between instances.
/// No test sleeps: a send is let through only by its timer on the fake clock (which the test moves) or by a lease
/// being returned (which the test does), so "not yet" is asserted when neither has happened, and "now" by awaiting the
/// send once one has.</summary>
public sealed class ChannelThrottleTests
{
    /// <summary>Long enough for any send to have been let through, were something other than the test to do it.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <summary>Each caller asks for a slot at once, as a batch's sends do; the slot is reserved before the call returns.</summary>
    private static List<Task> Senders(ChannelThrottle throttle, int count) =>
        [.. Enumerable.Range(0, count).Select(async _ =>
        {
            using (await throttle.AcquireAsync(CancellationToken.None)) { }
        })];

    /// <summary>Moves the clock to each send's slot in turn: a tick before it the send still waits, at it the send
    /// goes.</summary>
    private static async Task AssertSpacedAsync(FakeTimeProvider clock, List<Task> senders, int first, int count, TimeSpan spacing)
    {
        for (var i = first; i < first + count; i++)
        {
            clock.Advance(spacing - Tick);
            Assert.False(senders[i].IsCompleted, $"send {i} went before its slot");
            clock.Advance(Tick);
            await senders[i].WaitAsync(Hang);
        }
    }

    [Fact]
    public async Task Sends_are_spaced_at_the_share_of_the_rate()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(40, 100);

        var senders = Senders(throttle, 100);

        Assert.True(senders[0].IsCompleted); // the first one at once
        await AssertSpacedAsync(clock, senders, 1, 40, TimeSpan.FromMilliseconds(25)); // then one every 25 ms: 40/s
        Assert.Equal(41, senders.Count(s => s.IsCompleted)); // 41 in the first second, its two ends included
        Assert.Equal(59, throttle.Demand);
    }

    [Fact]
    public async Task A_zero_concurrency_share_holds_every_send_until_a_share_is_agreed()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(double.PositiveInfinity, 0);
        var acquire = throttle.AcquireAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(acquire.IsCompleted);
        Assert.Equal(1, throttle.Demand);
        Assert.Equal(0, throttle.Acquired);

        throttle.SetShare(double.PositiveInfinity, 1);
        using var lease = await acquire.WaitAsync(Hang);
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
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(fourth.IsCompleted);
        Assert.Equal(4, throttle.Demand);

        throttle.SetShare(double.PositiveInfinity, 2); // shrinks: one leaving does not let the fourth in
        leases[0].Dispose();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(fourth.IsCompleted);
        Assert.Equal(3, throttle.Demand);

        leases[1].Dispose();
        using var lease = await fourth.WaitAsync(Hang);
        Assert.Equal(4, throttle.Acquired);
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
        Assert.Equal(1, throttle.Demand);

        first.Dispose();
        using var next = await throttle.AcquireAsync(CancellationToken.None).AsTask().WaitAsync(Hang);
        Assert.Equal(1, throttle.Demand); // the next one alone: the canceled one holds no place
        Assert.Equal(2, throttle.Acquired);
    }

    [Fact]
    public async Task A_429_pauses_every_send_for_Retry_After_and_halves_the_pace()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(80, 100);
        throttle.SlowDown(TimeSpan.FromSeconds(2));
        Assert.Equal(40, throttle.Rate, 3);

        var senders = Senders(throttle, 100);

        clock.Advance(TimeSpan.FromSeconds(2) - Tick);
        Assert.DoesNotContain(senders, s => s.IsCompleted); // none during the pause
        clock.Advance(Tick);
        await senders[0].WaitAsync(Hang); // the first as it ends
        await AssertSpacedAsync(clock, senders, 1, 40, TimeSpan.FromMilliseconds(25)); // then 40/s, not 80/s
        Assert.Equal(41, senders.Count(s => s.IsCompleted));
    }

    [Fact]
    public async Task Slowing_the_share_retakes_the_slots_reserved_ahead_from_the_last_send_with_no_gap()
    {
        var clock = new FakeTimeProvider();
        var throttle = new ChannelThrottle(clock);
        throttle.SetShare(10, 64); // 64 sends reserve slots 6.4 s ahead at 10/s
        var senders = Senders(throttle, 64);
        await senders[0].WaitAsync(Hang);
        await AssertSpacedAsync(clock, senders, 1, 2, TimeSpan.FromMilliseconds(100));

        throttle.SetShare(5, 64); // another instance joined: half the pace, from the last send on
        for (var t = 0; t < 2000; t += 10)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }
        // 200 ms apart from the third send: ten more by 2 s later (not one before 6.4 s, as after the slots given back).
        await Poll.UntilAsync(() => Task.FromResult(senders.Count(x => x.IsCompleted)), n => n >= 13, Hang, "ten sends at the new pace");
        Assert.Equal(13, senders.Count(x => x.IsCompleted));
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
