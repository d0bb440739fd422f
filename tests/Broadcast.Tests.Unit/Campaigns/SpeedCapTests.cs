using Broadcast.Core.Campaigns;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Storage;
using Broadcast.Tests.Unit.Workflow;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broadcast.Tests.Unit.Campaigns;

/// <summary>max_per_minute on the in-memory storage and a clock running 20 times as fast: evenly spaced turns, two
/// instances sharing the broadcast's cap, and a stopped broadcast's turn refused.</summary>
public sealed class SpeedCapTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>An app instance's caps: its own lease row name (as its channel pacers have), the shared table.</summary>
    private static (SpeedCaps Caps, ChannelPacers Pacers) Instance(IStorage storage, TimeProvider clock)
    {
        var names = new StorageNames("");
        var options = new PacingOptions();
        var pacers = new ChannelPacers(storage.Tables, names, options, clock, NullLogger<ChannelPacers>.Instance);
        return (new SpeedCaps(storage.Tables, names, pacers, options, clock, NullLogger<SpeedCaps>.Instance), pacers);
    }

    /// <summary><paramref name="senders"/> sends asking for turns at once, as a batch's do; answers each turn's time.</summary>
    private static Task<DateTimeOffset[]> TurnsAsync(SpeedCaps caps, TimeProvider clock, int senders, int perMinute, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
            await caps.TurnAsync("b1", perMinute, stop) ? clock.GetUtcNow() : DateTimeOffset.MaxValue));

    private static int MostInAnyMinute(IReadOnlyList<DateTimeOffset> times) =>
        times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < TimeSpan.FromMinutes(1)).Count()).DefaultIfEmpty(0).Max();

    [Fact]
    public async Task Turns_of_a_600_a_minute_cap_are_100_ms_apart()
    {
        using var clock = new RunningClock();
        var (caps, pacers) = Instance(new InMemoryStorage(clock), clock);
        await using var _ = pacers;
        await using var __ = caps;

        var start = clock.GetUtcNow();
        var times = (await TurnsAsync(caps, clock, 50, 600, CancellationToken.None).WaitAsync(Deadline)).Order().ToList();

        // A turn is seen when its continuation runs, at or after it came (the clock runs on meanwhile), so each is
        // measured from the test's start, before any could come: the k-th is k slots of 100 ms in, never sooner.
        for (var k = 1; k < times.Count; k++)
            Assert.True(times[k] - start >= TimeSpan.FromMilliseconds(100 * k), $"turn {k} came {(times[k] - start).TotalMilliseconds} ms after the start");
        // And not far slower. From the start too: the first turn may be seen late, so the span from it would be short.
        // This clock runs 20 times as fast, so a continuation seen 40 ms late on a loaded machine is 0.8 s here: 25 %
        // catches a cap that paces at half its rate; the ±5 % over a minute is the integration test's, on the real clock.
        Assert.InRange((times[^1] - start).TotalSeconds, 4.9, 4.9 * 1.25);
        Assert.False(await caps.TurnAsync("b1", 600, new CancellationToken(canceled: true))); // a stopped broadcast gets no turn
        Assert.True(await caps.TurnAsync("b1", null, CancellationToken.None)); // no cap: at once
    }

    [Fact]
    public async Task Two_instances_sending_one_broadcast_share_its_cap_and_never_exceed_it_in_any_minute()
    {
        using var clock = new RunningClock();
        var storage = new InMemoryStorage(clock);
        var (one, onePacers) = Instance(storage, clock);
        var (two, twoPacers) = Instance(storage, clock);
        await using var a = onePacers;
        await using var b = twoPacers;
        await using var c = one;
        await using var d = two;

        // 90 s of the clock: each alone could take the whole 600 a minute.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90), clock);
        var first = TurnsAsync(one, clock, 400, 600, stop.Token);
        var second = TurnsAsync(two, clock, 400, 600, stop.Token);
        var all = (await first.WaitAsync(Deadline)).Concat(await second.WaitAsync(Deadline)).Where(t => t != DateTimeOffset.MaxValue).Order().ToList();

        Assert.InRange(MostInAnyMinute(all), 570, 630);
        // Both sent: the cap is the broadcast's, not each instance's.
        Assert.True((await first).Count(t => t != DateTimeOffset.MaxValue) > 100);
        Assert.True((await second).Count(t => t != DateTimeOffset.MaxValue) > 100);
    }
}
