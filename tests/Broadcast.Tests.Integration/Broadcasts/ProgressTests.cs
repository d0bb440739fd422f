using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Broadcasts;

public sealed class ProgressTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Counters_stay_within_two_seconds_of_sending_behind_the_vendor_and_add_up_at_every_poll()
    {
        const int count = 2400;
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Vendors:Omnichat:RatePerSecond"] = "80" });
        var upload = await UploadRecipientsAsync(stack.App.Client, count);
        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", text = "progress", upload_id = upload });

        var polls = 0;
        var moving = 0;
        var worstLag = TimeSpan.Zero;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(120);
        while (true)
        {
            var askedAt = DateTimeOffset.UtcNow;
            var state = await StateAsync(stack.App.Client, id);
            AssertCountersAddUp(state);
            polls++;
            // What the vendor had answered two seconds before this poll was asked must already be counted.
            var shown = state.GetProperty("total_sent").GetInt64();
            var requests = stack.Sandbox.State.Requests("omnichat");
            var answeredBefore = requests.Count(r => r.ReceivedAt <= askedAt.AddSeconds(-2));
            // How far behind: since when has the vendor had a message the counters do not show yet.
            var arrivals = requests.Select(r => r.ReceivedAt).Order().ToList();
            if (arrivals.Count > shown && askedAt - arrivals[(int)shown] > worstLag) worstLag = askedAt - arrivals[(int)shown];
            Assert.True(shown >= answeredBefore,
                $"poll {polls}: total_sent {shown}, but the vendor had answered {answeredBefore} two seconds before the poll");
            if (shown is > 0 and < count) moving++;
            if (state.GetProperty("completed_at").ValueKind == System.Text.Json.JsonValueKind.String)
            {
                Assert.Equal("completed", state.Str("status"));
                Assert.Equal(count, shown);
                break;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, "the broadcast did not finish in 120 s");
            // The poll cadence of the issue (once a second), by the clock; not a synchronisation.
            await Task.Delay(askedAt.AddSeconds(1) - DateTimeOffset.UtcNow is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        output.WriteLine($"{count} recipients at 80/s, {polls} polls, {moving} while sending: counters at most {worstLag.TotalSeconds:0.00} s of sending behind the vendor");
        Assert.True(moving >= 20, $"only {moving} polls saw the counters between 0 and {count}: they do not move while sending");
        Assert.All(stack.Sandbox.State.Deliveries("omnichat").Values, n => Assert.Equal(1, n));
    }
}
