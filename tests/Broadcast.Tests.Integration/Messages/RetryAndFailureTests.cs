using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Messages;

public sealed class RetryAndFailureTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private Stack Stack => fixture.Stack;

    private static object OmnichatText(string to = "6281290641111") => new { provider = "omnichat", to, text = "hi" };

    [Fact]
    public async Task A_transient_failure_is_retried_then_sent()
    {
        Stack.Sandbox.State.Reset();
        Stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailNext = 2, FailStatus = 503 });
        var state = await Stack.App.SendAndWaitAsync(OmnichatText());
        var recipient = state.GetProperty("recipient");
        Assert.Equal("sent", recipient.Str("status"));
        Assert.Equal(3, recipient.GetProperty("attempts").GetInt32());
        Assert.Equal(3, Stack.Sandbox.State.Requests("omnichat").Count);
        Assert.Equal(1, Stack.Sandbox.State.Deliveries("omnichat")["6281290641111"]);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_honoured()
    {
        Stack.Sandbox.State.Reset();
        Stack.Sandbox.State.Configure("khoros", new VendorBehavior { FailNext = 1, FailStatus = 429, RetryAfterSeconds = 2 });
        var state = await Stack.App.SendAndWaitAsync(new { provider = "khoros", to = "+12345678901", text = "hi" });
        Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
        var requests = Stack.Sandbox.State.Requests("khoros");
        Assert.Equal(2, requests.Count);
        Assert.Equal(429, requests[0].StatusCode);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(1.9),
            $"retried after {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalSeconds:0.00} s, Retry-After was 2 s");
    }

    [Fact]
    public async Task A_permanent_failure_is_recorded_with_the_vendors_message_and_not_retried()
    {
        Stack.Sandbox.State.Reset();
        Stack.Sandbox.State.Configure("qiscus", new VendorBehavior { FailPhones = new() { ["6281111111111"] = 400 } });
        var state = await Stack.App.SendAndWaitAsync(new
        {
            provider = "qiscus", to = "6281111111111",
            template = new { name = "t", id = "1", @namespace = "n", language = "id", variables = new[] { "x" } },
        });
        Assert.Equal("failed", state.Str("status"));
        var recipient = state.GetProperty("recipient");
        Assert.Equal("failed", recipient.Str("status"));
        Assert.Equal(1, recipient.GetProperty("attempts").GetInt32());
        Assert.StartsWith("400", recipient.Str("error"));
        Assert.Contains("6281111111111", recipient.Str("error"));
        Assert.Single(Stack.Sandbox.State.Requests("qiscus"));
    }

    [Fact]
    public async Task Omnichat_status_false_is_a_failure_even_with_http_200()
    {
        Stack.Sandbox.State.Reset();
        Stack.Sandbox.State.Configure("omnichat", new VendorBehavior { OmnichatStatusFalseNext = 1, FailMessage = "Device tidak terhubung" });
        var state = await Stack.App.SendAndWaitAsync(OmnichatText());
        var recipient = state.GetProperty("recipient");
        Assert.Equal("failed", recipient.Str("status"));
        Assert.Contains("Device tidak terhubung", recipient.Str("error"));
        Assert.Equal(200, Assert.Single(Stack.Sandbox.State.Requests("omnichat")).StatusCode);
    }

    [Fact]
    public async Task Transient_failures_give_up_after_the_configured_attempts()
    {
        Stack.Sandbox.State.Reset();
        Stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailNext = 50, FailStatus = 502 });
        var state = await Stack.App.SendAndWaitAsync(OmnichatText());
        var recipient = state.GetProperty("recipient");
        Assert.Equal("failed", recipient.Str("status"));
        Assert.Equal(5, recipient.GetProperty("attempts").GetInt32());
        Assert.Contains("gave up after 5 attempts", recipient.Str("error"));
        Assert.Equal(5, Stack.Sandbox.State.Requests("omnichat").Count);
    }
}
