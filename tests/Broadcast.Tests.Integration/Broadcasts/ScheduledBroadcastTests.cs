using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Broadcasts;

/// <summary>Alone, beside the scheduled messages: "within 2 s of started_at" is the product's bound, not the machine's.</summary>
[Collection(nameof(Messages.ScheduledMessageTests))]
public sealed class ScheduledBroadcastTests
{
    [Fact]
    public async Task A_scheduled_broadcast_starts_on_time()
    {
        await using var stack = await Stack.StartAsync(BroadcastWorkflowTests.Fast);
        var startAt = DateTimeOffset.UtcNow.AddSeconds(4);
        var response = await stack.App.PostJsonAsync("api/broadcasts", new
        {
            provider = "khoros", text = "Doors open!", started_at = startAt, recipients = InlineRecipients(120),
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.JsonAsync();
        Assert.Equal("scheduled", accepted.Str("status"));
        Assert.EndsWith("/cancel", accepted.Str("cancelPostUri"));
        Assert.EndsWith("/recipients", accepted.Str("recipientsGetUri"));
        var id = accepted.Str("id");
        Assert.Equal("scheduled", (await StateAsync(stack.App.Client, id)).Str("status"));

        await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        var first = stack.Sandbox.State.Requests("khoros").Min(r => r.ReceivedAt);
        Assert.True(first >= startAt, $"first call {(startAt - first).TotalMilliseconds:0} ms early");
        Assert.True(first <= startAt.AddSeconds(2), $"first call {(first - startAt).TotalMilliseconds:0} ms late");
    }
}
