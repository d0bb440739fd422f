using System.Net;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Messages;

public sealed class SendMessageTests
{
    [Fact]
    public async Task Omnichat_text_is_sent_with_the_documented_body_and_reported_sent()
    {
        await using var stack = await Stack.StartAsync();
        var response = await stack.App.PostJsonAsync("api/messages?wait=20", new
        {
            provider = "omnichat", to = "+62 812-9064-1111", name = "Budi", text = "Hallo {name}!",
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var state = JsonDocument.Parse(body).RootElement;
        Assert.Equal("completed", state.GetProperty("status").GetString());
        Assert.Equal("sent", state.GetProperty("recipient").GetProperty("status").GetString());
        Assert.Equal("6281290641111", state.GetProperty("recipient").GetProperty("phone_number").GetString());
        Assert.Equal(JsonValueKind.String, state.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.String, state.GetProperty("completed_at").ValueKind);
        Assert.Equal(1, state.GetProperty("total_sent").GetInt32());

        var received = Assert.Single(stack.Sandbox.State.Requests("omnichat"));
        var sent = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("6281290641111", sent.GetProperty("phone").GetString());
        Assert.Equal("sandbox-omnichat-key", sent.GetProperty("api_key").GetString());
        Assert.Equal("text", sent.GetProperty("method").GetString());
        Assert.Equal("Hallo Budi!", sent.GetProperty("text").GetString());
        Assert.False(sent.GetProperty("is_group").GetBoolean());
    }
}
