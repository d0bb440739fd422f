using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Hardening;

public sealed class SecretLeakTests
{
    private const string ApiKey = "apikey-hardening-7f3c9d2e51";
    private const string QiscusSecret = "qiscus-secret-hardening-1a2b3c";
    private const string KhorosKey = "khoros-key-hardening-4d5e6f";
    private const string OmnichatKey = "omnichat-key-hardening-7a8b9c";
    private const string OmnichatDevice = "omnichat-device-hardening-0d1e2f";
    private const string OmnichatCallback = "callback-omnichat-hardening-3a4b";
    private const string KhorosCallback = "callback-khoros-hardening-5c6d";
    private const string WrongKey = "wrong-key-someone-tried-8e9f";
    private const string WebhookSecret = "webhook-signing-hardening-6b7c";

    private static readonly string[] Secrets = [ApiKey, QiscusSecret, KhorosKey, OmnichatKey, OmnichatDevice, OmnichatCallback, KhorosCallback, WrongKey, WebhookSecret];

    [Fact]
    public async Task A_debug_session_logs_and_stores_no_secret_anywhere()
    {
        // Omnichat echoes what it received (api_key and device_key travel in the body) and names the callback URL it
        // has on file; Khoros answers with an nginx page that quotes the Authorization header.
        await using var omnichat = await FakeVendor.StartAsync((headers, body) =>
            (400, "application/json", JsonSerializer.Serialize(new { status = false, message = $"rejected {body}; webhook https://app.example/api/callbacks/omnichat?token={OmnichatCallback}" })));
        await using var khoros = await FakeVendor.StartAsync((headers, _) =>
            (403, "text/html", "<html><head><title>403 Forbidden</title></head><body>" + headers + "</body></html>"));
        // The completion webhook's receiver fails the first delivery, so its retry is logged too.
        var told = 0;
        await using var receiver = await FakeVendor.StartAsync((_, _) =>
            Interlocked.Increment(ref told) == 1 ? (500, "text/plain", "busy") : (200, "application/json", "{}"));

        var logs = new CapturedLogs();
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Api:Keys"] = ApiKey,
            ["Vendors:Qiscus:SecretKey"] = QiscusSecret,
            ["Vendors:Khoros:ApiKey"] = KhorosKey,
            ["Vendors:Khoros:BaseUrl"] = khoros.Url.ToString().TrimEnd('/'),
            ["Vendors:Omnichat:ApiKey"] = OmnichatKey,
            ["Vendors:Omnichat:DeviceKey"] = OmnichatDevice,
            ["Vendors:Omnichat:BaseUrl"] = omnichat.Url.ToString().TrimEnd('/'),
            ["Callbacks:Omnichat:Secret"] = OmnichatCallback,
            ["Callbacks:Khoros:Secret"] = KhorosCallback,
            ["Notifications:Secret"] = WebhookSecret,
            ["Notifications:AllowLoopback"] = "true",
            ["Notifications:RetryDelay"] = "00:00:00.500",
        }, sandbox: s => s.Qiscus.SecretKey = QiscusSecret, configure: b => b.Logging.AddProvider(logs));

        stack.App.Client.DefaultRequestHeaders.Remove("x-functions-key");
        stack.App.Client.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
        // The key in the query, as the Functions convention allows; a wrong key too.
        using var client = new HttpClient { BaseAddress = stack.App.BaseUrl };
        var q = $"?code={ApiKey}";
        var omni = await SendAsync(client, $"api/messages{q}&wait=30", new { provider = "omnichat", to = "6281290641111", text = "hi" });
        var kho = await SendAsync(client, $"api/messages{q}&wait=30", new { provider = "khoros", to = "+12345678901", text = "hi" });
        var qis = await SendAsync(client, $"api/messages{q}&wait=30", new { provider = "qiscus", to = "6281290641111",
            template = new { name = "t", id = "1", @namespace = "n", language = "id", variables = new[] { "x" } } });
        var broadcast = await SendAsync(client, $"api/broadcasts{q}",
            new { provider = "omnichat", text = "hi {name}", recipients = InlineRecipients(3), notify_url = new Uri(receiver.Url, "finished").ToString() });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"api/broadcasts?code={WrongKey}")).StatusCode);
        // Callbacks with the secret in the query (the README's own URL) and a wrong one.
        var callback = await client.PostAsync($"api/callbacks/omnichat?token={OmnichatCallback}",
            new StringContent("{\"from\": \"6281290649999@s.whatsapp.net\", \"message\": \"hello\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        await client.PostAsync($"api/callbacks/khoros?token={WrongKey}", new StringContent("{}", Encoding.UTF8, "application/json"));
        var broadcastId = broadcast.Str("id");
        await WaitFinishedAsync(stack.App.Client, broadcastId, TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref told)), n => n >= 2, TimeSpan.FromSeconds(30), "the webhook's retry to be answered");

        // What is stored: every recipient's error, through the API and the CSV export.
        var stored = new StringBuilder();
        foreach (var id in new[] { omni.Str("id"), kho.Str("id"), qis.Str("id"), broadcastId })
        {
            stored.AppendLine((await stack.App.Client.GetStringAsync($"api/broadcasts/{id}/recipients")));
            stored.AppendLine(await stack.App.Client.GetStringAsync($"api/broadcasts/{id}/recipients.csv"));
        }
        var omniError = omni.GetProperty("recipient").Str("error");
        var khorosError = kho.GetProperty("recipient").Str("error");
        Assert.Contains("rejected", omniError);
        Assert.StartsWith("403", khorosError);
        Assert.DoesNotContain("<", khorosError);

        Assert.Contains(logs.Lines, l => l.Contains("api/messages")); // the request log is on at this level
        var everything = string.Join("\n", logs.Lines) + "\n" + stored;
        foreach (var secret in Secrets)
            Assert.False(everything.Contains(secret), $"'{secret}' leaked: {Lines(everything, secret)}");
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}: {json}");
        return json;
    }

    private static string Lines(string text, string secret) =>
        string.Join("\n", text.Split('\n').Where(l => l.Contains(secret)).Take(3));

    [Fact]
    public async Task A_vendor_error_that_is_an_html_page_is_stored_as_its_status_and_title()
    {
        await using var proxy = await FakeVendor.StartAsync((_, _) => (502, "text/html; charset=utf-8", FakeVendor.HtmlPage(HttpStatusCode.BadGateway, "502 Bad Gateway")));
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Vendors:Khoros:BaseUrl"] = proxy.Url.ToString().TrimEnd('/'),
            ["Messaging:MaxAttempts"] = "2",
        });
        var state = await stack.App.SendAndWaitAsync(new { provider = "khoros", to = "+12345678901", text = "hi" }, 60);
        var error = state.GetProperty("recipient").Str("error");
        Assert.Equal("failed", state.GetProperty("recipient").Str("status"));
        // "gave up after 2 attempts: " + the last answer: its status and the page's title, not the page.
        Assert.EndsWith(": 502 Bad Gateway", error);
        Assert.DoesNotContain("<", error);
    }
}
