using Broadcast.Functions.Hosting;
using System.Net;
using System.Net.Http.Json;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Hosting;

namespace Broadcast.Tests.Hosting;

/// <summary>HTTP functions under the Functions host: with <c>enableForwardingHttpRequest</c> the host forwards the
/// caller's request as it is (path under <c>/api</c>, query, headers, body) plus its own headers; the app keeps
/// checking its own API keys, since the functions are anonymous to the host.</summary>
public sealed class HttpForwardingContractTests
{
    private static HttpRequestMessage Forwarded(HttpMethod method, string pathAndQuery, string? key, object? body = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", FunctionsHostDriver.HostVersion);
        request.Headers.UserAgent.ParseAdd($"Azure-Functions-Host/{FunctionsHostDriver.HostVersion}");
        if (key is not null) request.Headers.Add("x-functions-key", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    [Fact]
    public async Task Forwarded_requests_reach_the_api_which_checks_its_own_keys_and_sends_through_its_own_engine()
    {
        await using var stack = await Stack.StartAsync(FunctionsHostDriver.HostMode());
        using var host = new FunctionsHostDriver(stack.App);
        using var caller = new HttpClient { BaseAddress = stack.App.BaseUrl };

        var health = await caller.SendAsync(Forwarded(HttpMethod.Get, "api/health", key: null));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var message = new { provider = "khoros", to = "+1 234 567 8901", text = "Your order has shipped" };
        var refused = await caller.SendAsync(Forwarded(HttpMethod.Post, "api/messages", key: null, message));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var accepted = await caller.SendAsync(Forwarded(HttpMethod.Post, "api/messages", TestApp.ApiKey, message));
        var body = await accepted.JsonAsync();
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var id = body.Str("id");

        var done = await Poll.UntilAsync(async () => await (await caller.SendAsync(Forwarded(HttpMethod.Get, $"api/broadcasts/{id}", TestApp.ApiKey))).JsonAsync(),
            b => b.Str("status") == "completed", TimeSpan.FromSeconds(30), "the message sent");
        Assert.Equal(1, done.GetProperty("total_sent").GetInt32());
        Assert.Contains("12345678901", Assert.Single(stack.Sandbox.State.Requests("khoros")).Body);
    }

    [Fact]
    public async Task The_api_is_only_under_api_and_invocation_routes_only_take_the_hosts_posts()
    {
        await using var stack = await Stack.StartAsync(FunctionsHostDriver.HostMode());
        using var caller = new HttpClient { BaseAddress = stack.App.BaseUrl };

        Assert.Equal(HttpStatusCode.NotFound, (await caller.SendAsync(Forwarded(HttpMethod.Get, "health", TestApp.ApiKey))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed,
            (await caller.SendAsync(Forwarded(HttpMethod.Get, FunctionsHost.DropFunction, TestApp.ApiKey))).StatusCode);
    }
}
