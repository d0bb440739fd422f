using System.Net;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Campaigns;

/// <summary>Local times and delivery windows against Azurite and the sandbox. The window tests give the app a clock
/// moved to just before the moment that matters (a window opening, a window across midnight closing), so that the
/// wait is seconds; every wait and timer keeps its real length.</summary>
public sealed class LocalTimeAndWindowTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static DateTimeOffset Wib(string local) => DateTimeOffset.Parse(local + "+07:00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_started_at_without_an_offset_is_read_in_asia_jakarta_or_the_broadcasts_time_zone_and_answered_with_its_offset()
    {
        var client = fixture.Stack.App.Client;
        var jakarta = await CreateAsync(client, new { provider = "omnichat", text = "hi", started_at = "2030-12-01T09:00:00", recipients = InlineRecipients(1) });
        var makassar = await CreateAsync(client, new
        {
            provider = "omnichat", text = "hi", started_at = "2030-12-01T09:00:00", time_zone = "Asia/Makassar", recipients = InlineRecipients(1),
        });
        var given = await CreateAsync(client, new { provider = "omnichat", text = "hi", started_at = "2030-12-01T09:00:00Z", recipients = InlineRecipients(1) });

        var inJakarta = await StateAsync(client, jakarta);
        Assert.Equal("2030-12-01T09:00:00+07:00", inJakarta.Str("started_at")); // 02:00 UTC, not 09:00 UTC
        Assert.Equal("Asia/Jakarta", inJakarta.Str("time_zone"));
        Assert.Equal("scheduled", inJakarta.Str("status"));
        Assert.EndsWith("+07:00", inJakarta.Str("created_at"));
        var inMakassar = await StateAsync(client, makassar);
        Assert.Equal("2030-12-01T09:00:00+08:00", inMakassar.Str("started_at"));
        Assert.Equal("Asia/Makassar", inMakassar.Str("time_zone"));
        // With an offset, as given (answered in the broadcast's zone: the same instant).
        Assert.Equal(DateTimeOffset.Parse("2030-12-01T09:00:00Z"), (await StateAsync(client, given)).GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal("2030-12-01T16:00:00+07:00", (await StateAsync(client, given)).Str("started_at"));

        // A single message reads it the same way.
        var message = await fixture.Stack.App.PostJsonAsync("api/messages", new { provider = "omnichat", to = "081290641111", text = "hi", started_at = "2030-12-01T09:00" });
        Assert.Equal("2030-12-01T09:00:00+07:00", (await message.JsonAsync()).Str("started_at"));

        foreach (var id in new[] { jakarta, makassar, given, (await message.JsonAsync()).Str("id") })
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/broadcasts/{id}/cancel", null)).StatusCode);
    }

    [Theory]
    [InlineData("started_at", "next monday 9am", null)]
    [InlineData("started_at", "2030-13-01T09:00:00", null)]
    [InlineData("time_zone", "2030-12-01T09:00:00", "Asia/Atlantis")]
    public async Task A_time_that_cannot_be_read_is_a_400_naming_the_field_and_the_expected_form(string field, string startedAt, string? timeZone)
    {
        var response = await fixture.Stack.App.PostJsonAsync("api/broadcasts", new
        {
            provider = "omnichat", text = "hi", started_at = startedAt, time_zone = timeZone, recipients = InlineRecipients(1),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(field, problem.Str("field"));
        Assert.Contains(field == "started_at" ? "2026-12-01T09:00:00+07:00" : "Asia/Jakarta", problem.Str("detail"));
    }

    private static async Task<(Stack Stack, ShiftedClock Clock)> StackWithClockAsync(int ratePerSecond = 20)
    {
        var clock = new ShiftedClock();
        var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Vendors:Omnichat:RatePerSecond"] = ratePerSecond.ToString() },
            configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        return (stack, clock);
    }

    [Fact]
    public async Task A_window_closed_now_makes_the_broadcast_wait_until_it_opens_with_that_resumes_at_and_nothing_is_sent_before()
    {
        var (stack, clock) = await StackWithClockAsync();
        await using var _ = stack;
        // Monday 07:59:54 in Jakarta; the window opens at 08:00 on Monday to Saturday.
        clock.MoveTo(Wib("2026-12-07T07:59:54"));
        var id = await CreateAsync(stack.App.Client, new
        {
            provider = "omnichat", text = "Hi {name}", recipients = InlineRecipients(5),
            window = new { from = "08:00", to = "20:00", days = new[] { "mon", "tue", "wed", "thu", "fri", "sat" } },
        });

        var waiting = await Poll.UntilAsync(() => StateAsync(stack.App.Client, id), s => s.Str("status") == "waiting", Deadline, "the broadcast to wait");
        Assert.Equal("2026-12-07T08:00:00+07:00", waiting.Str("resumes_at"));
        Assert.Equal(new[] { "mon", "tue", "wed", "thu", "fri", "sat" }, waiting.GetProperty("window").GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        AssertCountersAddUp(waiting);
        var opens = Wib("2026-12-07T08:00:00");
        // Nothing reaches the vendor before 08:00: looked at every poll until then.
        await Poll.UntilAsync(() =>
        {
            Assert.Equal(0, stack.Sandbox.State.TotalRequests("omnichat"));
            return Task.FromResult(clock.GetUtcNow());
        }, now => now >= opens - TimeSpan.FromSeconds(0.5), Deadline, "the window's opening");

        var final = await WaitFinishedAsync(stack.App.Client, id, Deadline);
        Assert.Equal("completed", final.Str("status"));
        Assert.Equal(5, final.GetProperty("total_sent").GetInt32());
        Assert.Equal(JsonValueKind.Null, final.GetProperty("resumes_at").ValueKind);
        Assert.All(stack.Sandbox.State.Requests("omnichat"), r => Assert.True(r.ReceivedAt >= clock.Real(opens), $"sent at {r.ReceivedAt:O}, before the opening"));
    }

    [Fact]
    public async Task A_window_across_midnight_sends_after_midnight_stops_at_its_close_and_resumes_at_its_next_opening()
    {
        var (stack, clock) = await StackWithClockAsync(ratePerSecond: 5);
        await using var _ = stack;
        // Friday 05:59:56: Thursday's window (22:00 to 06:00) is still open, for four more seconds.
        clock.MoveTo(Wib("2026-12-11T05:59:56"));
        var id = await CreateAsync(stack.App.Client, new
        {
            provider = "omnichat", text = "Hi {name}", recipients = InlineRecipients(60),
            window = new { from = "22:00", to = "06:00", days = new[] { "thu" } },
        });

        var waiting = await Poll.UntilAsync(() => StateAsync(stack.App.Client, id), s => s.Str("status") == "waiting", Deadline, "the broadcast to wait at 06:00");
        Assert.Equal("2026-12-17T22:00:00+07:00", waiting.Str("resumes_at")); // the next Thursday night
        var sent = waiting.GetProperty("total_sent").GetInt32();
        Assert.InRange(sent, 1, 59);
        Assert.Equal(60 - sent, waiting.GetProperty("total_queued").GetInt32());
        var closes = clock.Real(Wib("2026-12-11T06:00:00"));
        Assert.All(stack.Sandbox.State.Requests("omnichat"), r => Assert.True(r.ReceivedAt < closes, $"reached the vendor at {r.ReceivedAt:O}, after 06:00"));
        Assert.Equal(sent, stack.Sandbox.State.AcceptedCount("omnichat"));

        Assert.Equal(HttpStatusCode.Accepted, (await stack.App.Client.PostAsync($"api/broadcasts/{id}/cancel", null)).StatusCode);
        var final = await WaitFinishedAsync(stack.App.Client, id, Deadline);
        Assert.Equal("canceled", final.Str("status"));
        Assert.Equal(60 - sent, final.GetProperty("total_canceled").GetInt32());
        Assert.Equal(sent, stack.Sandbox.State.AcceptedCount("omnichat"));
    }
}
