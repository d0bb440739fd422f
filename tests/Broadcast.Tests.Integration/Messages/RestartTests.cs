using System.Net;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Messages;

public sealed class RestartTests
{
    [Fact]
    public async Task The_app_killed_after_accepting_sends_the_message_exactly_once_after_a_restart()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var prefix = TestApp.NewPrefix();
        string statusUri;
        await using (var first = await AppProcess.StartAsync(prefix, sandbox.BaseUrl))
        {
            var response = await first.PostJsonAsync("api/messages",
                new { provider = "omnichat", to = "6281290641111", text = "survives", started_at = DateTimeOffset.UtcNow.AddSeconds(2) });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            statusUri = new Uri((await response.JsonAsync()).Str("statusQueryGetUri")).PathAndQuery.TrimStart('/');
            first.Kill();
        }
        Assert.Empty(sandbox.State.Requests("omnichat"));

        await using var second = await AppProcess.StartAsync(prefix, sandbox.BaseUrl);
        var state = await Poll.UntilAsync(() => second.GetJsonAsync(statusUri), s => s.Str("status") == "completed", TimeSpan.FromSeconds(30), "the message to be sent after the restart");
        Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
        Assert.Equal(1, sandbox.State.Deliveries("omnichat")["6281290641111"]);
    }
}
