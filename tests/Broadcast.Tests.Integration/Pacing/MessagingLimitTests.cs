using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Pacing;

/// <summary>DailyRecipientLimit end to end, with a short window instead of 24 hours.</summary>
public sealed class MessagingLimitTests
{
    private static async Task<string> UploadAsync(HttpClient client, int count)
    {
        var csv = new StringBuilder("phone,name\n");
        for (var i = 0; i < count; i++) csv.Append($"{Phone(i)},Customer {i}\n");
        var response = await client.PostAsync("api/uploads", new StringContent(csv.ToString(), Encoding.UTF8, new MediaTypeHeaderValue("text/csv")));
        return (await response.JsonAsync()).Str("upload_id");
    }

    [Fact]
    public async Task A_broadcast_of_2500_under_a_limit_of_1000_sends_exactly_1000_waits_until_resumes_at_and_finishes_as_the_window_moves()
    {
        var window = TimeSpan.FromSeconds(15);
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Vendors:Omnichat:RatePerSecond"] = "0",
            ["Vendors:Omnichat:DailyRecipientLimit"] = "1000",
            ["Vendors:Omnichat:DailyRecipientWindow"] = window.ToString(),
        });
        var client = stack.App.Client;
        var uploadId = await UploadAsync(client, 2500);
        var created = DateTimeOffset.UtcNow;
        var id = await CreateAsync(client, new { provider = "omnichat", upload_id = uploadId, text = "limited" });

        // Batches admitted before the limit was reached may still be sending when another starts waiting.
        var waiting = await Poll.UntilAsync(() => StateAsync(client, id),
            s => s.Str("status") == "waiting" && stack.Sandbox.State.AcceptedCount("omnichat") >= 1000, TimeSpan.FromSeconds(30), "the broadcast to wait");
        AssertCountersAddUp(waiting);
        Assert.Equal(1000, stack.Sandbox.State.AcceptedCount("omnichat"));
        var resumesAt = waiting.GetProperty("resumes_at").GetDateTimeOffset();
        // When the first of the 1,000 leaves the window (to the window's 1/1440 slice, plus a second of clock slack).
        Assert.InRange(resumesAt, created + window - TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow + window + TimeSpan.FromSeconds(1));
        // Nothing more goes out before resumes_at: watched at every poll until a second before it.
        await Poll.UntilAsync(() =>
        {
            Assert.Equal(1000, stack.Sandbox.State.AcceptedCount("omnichat"));
            return Task.FromResult(DateTimeOffset.UtcNow);
        }, now => now >= resumesAt - TimeSpan.FromSeconds(1), window + TimeSpan.FromSeconds(5), "a second before resumes_at");

        var final = await WaitFinishedAsync(client, id, TimeSpan.FromSeconds(90));
        Assert.Equal("completed", final.Str("status"));
        Assert.Equal(2500, final.GetProperty("total_sent").GetInt32());
        Assert.Equal(JsonValueKind.Null, final.GetProperty("resumes_at").ValueKind);
        var deliveries = stack.Sandbox.State.Deliveries("omnichat");
        Assert.Equal(2500, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_waiting_broadcast_can_be_canceled_and_a_recipient_already_messaged_does_not_count_again()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Vendors:Omnichat:DailyRecipientLimit"] = "5",
        });
        var client = stack.App.Client;
        var firstId = await CreateAsync(client, new { provider = "omnichat", text = "first", recipients = InlineRecipients(5) });
        Assert.Equal("completed", (await WaitFinishedAsync(client, firstId, TimeSpan.FromSeconds(30))).Str("status"));

        // The same five again go at once; five new ones wait for tomorrow.
        var id = await CreateAsync(client, new { provider = "omnichat", text = "second", recipients = InlineRecipients(10) });
        var waiting = await Poll.UntilAsync(() => StateAsync(client, id), s => s.Str("status") == "waiting", TimeSpan.FromSeconds(30), "the broadcast to wait");
        Assert.True(waiting.GetProperty("resumes_at").GetDateTimeOffset() > DateTimeOffset.UtcNow + TimeSpan.FromHours(23));
        Assert.Equal(10, stack.Sandbox.State.AcceptedCount("omnichat"));

        var cancel = await client.PostAsync($"api/broadcasts/{id}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {(int)cancel.StatusCode}");
        var final = await WaitFinishedAsync(client, id, TimeSpan.FromSeconds(20));
        Assert.Equal("canceled", final.Str("status"));
        Assert.Equal(5, final.GetProperty("total_sent").GetInt32());
        Assert.Equal(5, final.GetProperty("total_canceled").GetInt32());
        Assert.Equal(10, stack.Sandbox.State.AcceptedCount("omnichat"));
    }
}
