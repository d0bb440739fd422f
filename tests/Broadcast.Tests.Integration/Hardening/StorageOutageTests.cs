using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Integration.Hardening;

/// <summary>Storage going away, with an Azurite of the test's own (the shared one serves every other test).</summary>
public sealed class StorageOutageTests
{
    /// <summary>An app on an Azurite of its own, to stop or pause.</summary>
    internal static async Task<(Azurite Azurite, TestApp App)> StartAsync()
    {
        var azurite = await Azurite.StartAsync();
        // Vendors configured (a sandbox address nobody listens on: nothing here reaches a vendor), so that requests get
        // as far as storage.
        var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Callbacks:Omnichat:Secret"] = CallbackSecret,
            ["Storage:RequestTimeout"] = new Broadcast.Storage.StorageClientSettings().RequestTimeout.ToString(), // the product's default
        }, sandbox: new Uri("http://127.0.0.1:9"));
        return (azurite, app);
    }

    private const string CallbackSecret = "outage-callback-secret";

    /// <summary>One request per API route that reaches storage, with input good enough to get there.</summary>
    private static readonly (string Method, string Route, string Path, Func<HttpContent?> Body)[] Calls =
    [
        ("POST", "/api/messages", "api/messages", () => Json(new { provider = "omnichat", to = "+6281290641111", text = "hi" })),
        ("POST", "/api/broadcasts/", "api/broadcasts", () => Json(new { provider = "omnichat", text = "hi", recipients = new[] { new { to = "+6281290641111" } } })),
        ("GET", "/api/broadcasts/", "api/broadcasts", () => null),
        ("GET", "/api/broadcasts/{id}", "api/broadcasts/zd2rp90l1yuyfz9m", () => null),
        ("GET", "/api/broadcasts/{id}/recipients", "api/broadcasts/zd2rp90l1yuyfz9m/recipients", () => null),
        ("GET", "/api/broadcasts/{id}/recipients.csv", "api/broadcasts/zd2rp90l1yuyfz9m/recipients.csv", () => null),
        ("POST", "/api/broadcasts/{id}/cancel", "api/broadcasts/zd2rp90l1yuyfz9m/cancel", () => null),
        ("POST", "/api/broadcasts/{id}/resend", "api/broadcasts/zd2rp90l1yuyfz9m/resend", () => null),
        ("POST", "/api/uploads/", "api/uploads", () => Csv("phone_number,name\n+6281290641111,Budi\n")),
        ("GET", "/api/uploads/{id}", "api/uploads/abcdefghijklmnopqrstuvwx", () => null),
        ("GET", "/api/uploads/{id}/errors", "api/uploads/abcdefghijklmnopqrstuvwx/errors", () => null),
        ("GET", "/api/uploads/{id}/preview", "api/uploads/abcdefghijklmnopqrstuvwx/preview?template=invoice_update", () => null),
        ("GET", "/api/templates/", "api/templates", () => null),
        ("POST", "/api/templates/", "api/templates", () => Json(new { name = "invoice_update", variants = new { khoros = new { text = "Hi {name}" } } })),
        ("GET", "/api/templates/{name}", "api/templates/invoice_update", () => null),
        ("PUT", "/api/templates/{name}", "api/templates/invoice_update", () => Json(new { variants = new { khoros = new { text = "Hi {name}" } } })),
        ("DELETE", "/api/templates/{name}", "api/templates/invoice_update", () => null),
        ("POST", "/api/templates/{name}/preview", "api/templates/invoice_update/preview", () => Json(new { variables = new[] { "Budi" } })),
        ("GET", "/api/suppressions/", "api/suppressions", () => null),
        ("POST", "/api/suppressions/", "api/suppressions", () => Json(new { phone_number = "+6281290641111", reason = "asked" })),
        ("GET", "/api/suppressions/{phone_number}", "api/suppressions/6281290641111", () => null),
        ("DELETE", "/api/suppressions/{phone_number}", "api/suppressions/6281290641111", () => null),
        ("POST", "/api/callbacks/{provider}", $"api/callbacks/omnichat?token={CallbackSecret}",
            () => Json(new { from = "6281290641111@s.whatsapp.net", message_id = "m1", message = "STOP", from_name = "Budi", type = "single" })),
    ];

    /// <summary>Routes that never touch storage: health (its own test), the dashboard's files, the API description
    /// and the local telemetry view.</summary>
    private static bool WithoutStorage(string route) =>
        route.StartsWith("/api/health", StringComparison.Ordinal) || route.StartsWith("/api/dashboard", StringComparison.Ordinal)
        || route.StartsWith("/api/openapi", StringComparison.Ordinal) || route.StartsWith("/api/docs", StringComparison.Ordinal)
        || route.StartsWith("/api/telemetry", StringComparison.Ordinal) || !route.StartsWith("/api", StringComparison.Ordinal);

    private static HttpContent Json(object body) => System.Net.Http.Json.JsonContent.Create(body);

    private static HttpContent Csv(string text) => new StringContent(text, System.Text.Encoding.UTF8, "text/csv");

    [Fact]
    public async Task A_broadcast_sending_when_storage_stops_answering_finishes_by_itself_when_it_returns_nobody_lost_or_sent_twice()
    {
        const int count = 400;
        await using var sandbox = await Broadcast.Sandbox.SandboxApp.StartAsync();
        var azurite = await Azurite.StartAsync();
        await using var _ = azurite;
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Vendors:Omnichat:RatePerSecond"] = "100",
            ["Workflow:BatchSize"] = "100",
            ["Workflow:RetryDelay"] = "00:00:00.200",
            // Every try of a batch during the outage fails: enough tries to outlast it.
            ["Workflow:MaxDequeueCount"] = "50",
        }, sandbox: sandbox.BaseUrl);
        var id = await Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers.CreateAsync(app.Client,
            new { provider = "omnichat", text = "outage", recipients = Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers.InlineRecipients(count) });
        await Poll.UntilAsync(() => Task.FromResult(sandbox.State.AcceptedCount("omnichat")), n => n >= 100, TimeSpan.FromSeconds(30), "100 sends");

        // Paused, not stopped: this Azurite keeps its data in memory, as a storage account keeps it through an outage.
        azurite.Pause();
        try
        {
            // The outage itself, by the clock: what is measured is what happens after it.
            await Task.Delay(TimeSpan.FromSeconds(4));
        }
        finally
        {
            azurite.Resume();
        }

        var final = await Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers.WaitFinishedAsync(app.Client, id, TimeSpan.FromSeconds(120));
        Assert.Equal("completed", final.Str("status"));
        Assert.Equal(count, final.GetProperty("total_sent").GetInt32());
        var deliveries = sandbox.State.Deliveries("omnichat");
        Assert.Equal(count, deliveries.Count); // nobody lost
        // Nobody twice beyond what was in flight when storage went (at_least_once): the last 0.5 s commit window.
        Assert.True(deliveries.Values.Sum() - count <= 60, $"{deliveries.Values.Sum() - count} sent twice");
    }

    [Fact]
    public async Task The_outage_tests_call_every_api_route_that_reaches_storage()
    {
        await using var app = await TestApp.StartAsync();
        var routes = new List<(string Method, string Route)>();
        foreach (var endpoint in app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                routes.Add((method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/')));
        Assert.Contains(("POST", "/api/messages"), routes);
        var missing = routes.Where(r => !WithoutStorage(r.Route) && !Calls.Any(c => c.Method == r.Method && c.Route == r.Route)).ToList();
        Assert.True(missing.Count == 0, "not called during an outage: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_route_answers_503_with_Retry_After_within_3_s_while_storage_is_stopped_or_paused(bool paused)
    {
        var (azurite, app) = await StartAsync();
        await using var _ = azurite;
        await using var __ = app;
        if (paused) azurite.Pause();
        else azurite.Stop();
        try
        {
            // Every route at once, as the app's callers keep calling while storage is away; each answers within the bound.
            var failures = (await Task.WhenAll(Calls.Select(async call =>
            {
                var (method, route, path, body) = call;
                var clock = Stopwatch.StartNew();
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body() };
                var response = await app.Client.SendAsync(request);
                var took = clock.Elapsed;
                var bound = TimeSpan.FromSeconds(3);
                return response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is null
                       || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || took > bound
                    ? $"{method} {route}: {(int)response.StatusCode} in {took.TotalSeconds:0.00} s {await response.Content.ReadAsStringAsync()}"
                    : null;
            }))).OfType<string>().ToList();
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            if (paused) azurite.Resume();
        }
    }
}
