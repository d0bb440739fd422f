using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Campaigns;

/// <summary>The completion webhook end to end: a receiver on a loopback port (allowed by Notifications__AllowLoopback)
/// that answers 500 to the first delivery of each broadcast and 200 after; and notify_url refused in Production.</summary>
public sealed class CompletionWebhookTests
{
    private const string Secret = "webhook-signing-secret-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private sealed record Delivery(string? BroadcastId, string? Signature, string? ContentType, byte[] Body, int Answered, string Query);

    /// <summary>Records every POST; the first one for a broadcast id is answered 500, the rest 200.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private LoopbackServer _server = null!;
        public ConcurrentQueue<Delivery> Deliveries { get; } = new();
        public Uri Url => _server.Url;

        public static async Task<Receiver> StartAsync()
        {
            var receiver = new Receiver();
            var seen = new ConcurrentDictionary<string, int>();
            receiver._server = await LoopbackServer.StartAsync(async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                var id = context.Request.Headers["x-broadcast-id"].ToString();
                var status = seen.AddOrUpdate(id, 1, (_, n) => n + 1) == 1 ? 500 : 200;
                receiver.Deliveries.Enqueue(new Delivery(id, context.Request.Headers["x-broadcast-signature"], context.Request.ContentType, body.ToArray(), status,
                    context.Request.QueryString.Value ?? ""));
                context.Response.StatusCode = status;
            });
            return receiver;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    [Fact]
    public async Task Each_terminal_broadcast_is_told_once_with_a_signature_that_verifies_after_a_500_is_retried()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:Secret"] = Secret,
            ["Notifications:AllowLoopback"] = "true",
            ["Notifications:RetryDelay"] = "00:00:00.500",
        });
        var client = stack.App.Client;
        var notifyUrl = new Uri(receiver.Url, "hooks/broadcast-finished?token=receivers-own").ToString();
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailPhones = new() { [Phone(10)] = 400, [Phone(11)] = 400 } });

        var completed = await CreateAsync(client, new { provider = "omnichat", text = "Hi {name}", notify_url = notifyUrl, recipients = InlineRecipients(3) });
        var failed = await CreateAsync(client, new { provider = "omnichat", text = "Hi {name}", notify_url = notifyUrl, recipients = InlineRecipients(2, from: 10) });
        var canceled = await CreateAsync(client, new
        {
            provider = "omnichat", text = "Hi {name}", notify_url = notifyUrl, started_at = "2030-01-01T09:00:00", recipients = InlineRecipients(2, from: 20),
        });
        Assert.Equal(notifyUrl, (await StateAsync(client, canceled)).Str("notify_url"));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/broadcasts/{canceled}/cancel", null)).StatusCode);
        var expected = new Dictionary<string, string> { [completed] = "completed", [failed] = "failed", [canceled] = "canceled" };

        // Once its webhook was answered 2xx, the orchestration ends: nothing can be delivered again after that.
        var durable = stack.App.Services.GetRequiredService<DurableTaskClient>();
        foreach (var id in expected.Keys)
            await Poll.UntilAsync(() => durable.GetInstanceAsync(id), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Completed, Deadline,
                $"broadcast {id}'s orchestration to complete");

        foreach (var (id, status) in expected)
        {
            var deliveries = receiver.Deliveries.Where(d => d.BroadcastId == id).ToList();
            Assert.Equal([500, 200], deliveries.Select(d => d.Answered)); // retried after the 500, then once
            foreach (var d in deliveries)
            {
                var expectedSignature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), d.Body));
                Assert.Equal(expectedSignature, d.Signature);
                Assert.StartsWith("application/json", d.ContentType);
                Assert.Equal("?token=receivers-own", d.Query);
                Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(d.Body));
            }
            var state = JsonDocument.Parse(deliveries[^1].Body).RootElement;
            Assert.Equal(id, state.Str("id"));
            Assert.Equal(status, state.Str("status"));
            Assert.Equal(JsonValueKind.String, state.GetProperty("completed_at").ValueKind);
            AssertCountersAddUp(state);
            // The body is the final state as GET /api/broadcasts/{id} answers it.
            Assert.Equal((await StateAsync(client, id)).GetProperty("total_sent").GetInt32(), state.GetProperty("total_sent").GetInt32());
        }
        Assert.Equal(6, receiver.Deliveries.Count);
        Assert.Equal(3, (await StateAsync(client, completed)).GetProperty("total_sent").GetInt32());
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/", "notify_url", 400)]
    [InlineData("https://10.0.0.1/hooks/done", "notify_url", 400)]
    [InlineData("https://[::ffff:10.0.0.1]/hooks/done", "notify_url", 400)]
    [InlineData("http://127.0.0.1:9/hooks/done", "notify_url", 400)]
    [InlineData("https://localhost./hooks/done", "notify_url", 400)]
    [InlineData("http://example.com/hooks/done", "notify_url", 400)]
    public async Task A_notify_url_at_a_private_link_local_or_loopback_address_is_refused_in_production(string url, string field, int status)
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Notifications:Secret"] = Secret });
        Assert.True(stack.App.Services.GetRequiredService<IHostEnvironment>().IsProduction());
        foreach (var path in new[] { "api/broadcasts", "api/messages" })
        {
            object body = path == "api/messages"
                ? new { provider = "omnichat", to = Phone(1), text = "hi", notify_url = url }
                : new { provider = "omnichat", text = "hi", notify_url = url, recipients = InlineRecipients(1) };
            var response = await stack.App.PostJsonAsync(path, body);
            Assert.Equal(status, (int)response.StatusCode);
            var problem = await response.JsonAsync();
            Assert.Equal(field, problem.Str("field"));
            Assert.DoesNotContain(Secret, problem.ToString());
        }
        Assert.Equal(0, stack.Sandbox.State.TotalRequests("omnichat"));
        Assert.Empty((await stack.App.GetJsonAsync("api/broadcasts")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Without_notifications_secret_a_notify_url_is_a_422_that_names_the_setting()
    {
        await using var stack = await Stack.StartAsync();
        var response = await stack.App.PostJsonAsync("api/broadcasts", new
        {
            provider = "omnichat", text = "hi", notify_url = "https://example.com/hooks/done", recipients = InlineRecipients(1),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("notify_url", problem.Str("field"));
        Assert.Contains("Notifications__Secret", problem.Str("detail"));
    }
}
