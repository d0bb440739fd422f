using System.Net;
using System.Net.Http.Json;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Messages;

// "Within 2 s of started_at" is a bound on the product, not on how busy the test machine is: alone, after the classes
// that run four at a time.
[CollectionDefinition(nameof(ScheduledMessageTests), DisableParallelization = true)]
public sealed class ScheduledMessageTestsCollection;

[Collection(nameof(ScheduledMessageTests))]
public sealed class ScheduledMessageTests
{
    [Fact]
    public async Task A_scheduled_message_is_not_sent_before_started_at_and_is_sent_within_2_s_after()
    {
        await using var stack = await Stack.StartAsync();
        var startAt = DateTimeOffset.UtcNow.AddSeconds(4);
        var response = await stack.App.PostJsonAsync("api/messages", new { provider = "omnichat", to = "6281290641111", text = "later", started_at = startAt });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonAsync();
        Assert.Equal("scheduled", accepted.Str("status"));
        var statusUri = accepted.Str("statusQueryGetUri");
        Assert.Equal(statusUri, response.Headers.Location?.ToString());

        var state = await stack.App.GetJsonAsync(statusUri);
        Assert.Equal("scheduled", state.Str("status"));
        Assert.Equal("queued", state.GetProperty("recipient").Str("status"));

        var done = await Poll.UntilAsync(() => stack.App.GetJsonAsync(statusUri), s => s.Str("status") == "completed", TimeSpan.FromSeconds(15), "the message to be sent");
        var request = Assert.Single(stack.Sandbox.State.Requests("omnichat"));
        Assert.True(request.ReceivedAt >= startAt, $"sent {(startAt - request.ReceivedAt).TotalMilliseconds:0} ms before started_at");
        Assert.True(request.ReceivedAt <= startAt.AddSeconds(2), $"sent {(request.ReceivedAt - startAt).TotalMilliseconds:0} ms after started_at");
        Assert.Equal("sent", done.GetProperty("recipient").Str("status"));
    }

    [Fact]
    public async Task Wait_answers_202_with_the_status_uri_when_the_message_is_not_done_in_time()
    {
        await using var stack = await Stack.StartAsync();
        var response = await stack.App.Client.PostAsJsonAsync("api/messages?wait=1",
            new { provider = "omnichat", to = "6281290641111", text = "later", started_at = DateTimeOffset.UtcNow.AddMinutes(5) });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("scheduled", (await response.JsonAsync()).Str("status"));
    }
}
