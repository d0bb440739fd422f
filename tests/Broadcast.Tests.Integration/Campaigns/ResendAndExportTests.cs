using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using CsvHelper;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Campaigns;

/// <summary>Resend to failed and the recipients CSV, against Azurite and the sandbox.</summary>
public sealed class ResendAndExportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private const string Text = "Hi {name}, your code is {code}.";

    private static Task<HttpResponseMessage> ResendAsync(HttpClient client, string id, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/broadcasts/{id}/resend") { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task Resending_a_broadcast_with_40_failures_sends_exactly_those_40_with_their_variables_as_a_new_broadcast()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Vendors:Omnichat:RatePerSecond"] = "0" });
        var client = stack.App.Client;
        var failing = Enumerable.Range(0, 100).Where(i => i % 5 is 1 or 3).ToList();
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailPhones = failing.ToDictionary(Phone, _ => 400) });
        var id = await CreateAsync(client, new { name = "December promo", provider = "omnichat", text = Text, recipients = InlineRecipients(100) });
        var original = await WaitFinishedAsync(client, id, Deadline);
        Assert.Equal(40, original.GetProperty("total_failed").GetInt32());
        Assert.Equal(60, original.GetProperty("total_sent").GetInt32());

        stack.Sandbox.State.Reset(); // the vendor takes everyone now, and forgets what it received
        var response = await ResendAsync(client, id, idempotencyKey: "resend-december-promo");
        var resent = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, resent.ToString());
        var newId = resent.Str("id");
        Assert.NotEqual(id, newId);
        Assert.EndsWith($"/api/broadcasts/{newId}", response.Headers.Location!.ToString());
        Assert.Equal(id, resent.Str("resend_of"));
        Assert.Equal(40, resent.GetProperty("total_recipient").GetInt32());
        Assert.Equal("December promo", resent.Str("name"));

        var final = await WaitFinishedAsync(client, newId, Deadline);
        Assert.Equal("completed", final.Str("status"));
        Assert.Equal(40, final.GetProperty("total_sent").GetInt32());
        var deliveries = stack.Sandbox.State.Deliveries("omnichat");
        Assert.Equal(failing.Select(Phone).Order(), deliveries.Keys.Order());
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
        var requests = stack.Sandbox.State.Requests("omnichat");
        foreach (var i in failing)
            Assert.Contains(requests, r => r.Body.Contains(Phone(i)) && r.Body.Contains($"Hi Customer {i}, your code is C-{i}."));
        // The same resend again under its Idempotency-Key (a retry after a lost answer) is that broadcast, sent once;
        // the key with other statuses is another request.
        var again = await ResendAsync(client, id, idempotencyKey: "resend-december-promo");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(newId, (await again.JsonAsync()).Str("id"));
        var other = await ResendAsync(client, id, new { statuses = new[] { "failed" } }, "resend-december-promo");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("Idempotency-Key", (await other.JsonAsync()).Str("field"));
        Assert.All(stack.Sandbox.State.Deliveries("omnichat").Values, n => Assert.Equal(1, n));
        // The resend's log keeps the original rows.
        Assert.Equal(failing.Select(i => i + 1), (await AllRecipientsAsync(client, newId)).Select(r => r.GetProperty("row").GetInt32()));

        // A resend of the resend finds nobody failed or unknown.
        var none = await ResendAsync(client, newId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        Assert.Equal("statuses", (await none.JsonAsync()).Str("field"));
    }

    [Fact]
    public async Task A_resend_is_refused_while_the_original_runs_names_a_wrong_status_and_takes_started_at_window_and_expires_at()
    {
        await using var stack = await Stack.StartAsync();
        var client = stack.App.Client;
        var scheduled = await CreateAsync(client, new { provider = "omnichat", text = Text, started_at = "2030-01-01T09:00:00", recipients = InlineRecipients(3) });

        var running = await ResendAsync(client, scheduled);
        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Equal("application/problem+json", running.Content.Headers.ContentType?.MediaType);
        Assert.Contains("scheduled", (await running.JsonAsync()).Str("detail"));
        Assert.Equal(HttpStatusCode.NotFound, (await ResendAsync(client, "nosuchbroadcast")).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/broadcasts/{scheduled}/cancel", null)).StatusCode);
        var wrong = await ResendAsync(client, scheduled, new { statuses = new[] { "canceled", "sent" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("statuses[1]", (await wrong.JsonAsync()).Str("field"));
        var badTime = await ResendAsync(client, scheduled, new { statuses = new[] { "canceled" }, started_at = "tomorrow" });
        Assert.Equal("started_at", (await badTime.JsonAsync()).Str("field"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ResendAsync(client, scheduled)).StatusCode); // none failed or unknown

        var response = await ResendAsync(client, scheduled, new
        {
            statuses = new[] { "canceled" }, started_at = "2030-02-01T10:00:00", expires_at = "2030-02-01T18:00:00",
            window = new { from = "09:00", to = "17:00" },
        });
        var resent = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, resent.ToString());
        Assert.Equal(scheduled, resent.Str("resend_of"));
        Assert.Equal("scheduled", resent.Str("status"));
        Assert.Equal(3, resent.GetProperty("total_recipient").GetInt32());
        Assert.Equal("2030-02-01T10:00:00+07:00", resent.Str("started_at"));
        Assert.Equal("2030-02-01T18:00:00+07:00", resent.Str("expires_at"));
        Assert.Equal("09:00", resent.GetProperty("window").Str("from"));
        Assert.Equal(7, resent.GetProperty("window").GetProperty("days").GetArrayLength());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/broadcasts/{resent.Str("id")}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task The_recipients_csv_carries_the_broadcast_name_each_recipients_variables_and_its_delivered_and_read_times()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Callbacks:Qiscus:Secret"] = "qiscus-callback-secret" });
        var client = stack.App.Client;
        var recipients = Enumerable.Range(0, 3).Select(i => (object)new { to = Phone(i), variables = new[] { $"Rp. {i}0.000", $"{i} Maret" } }).ToArray();
        var id = await CreateAsync(client, new
        {
            name = "March invoices", provider = "qiscus", template = new { name = "invoice", id = 172, @namespace = "n", language = "id" }, recipients,
        });
        await WaitFinishedAsync(client, id, Deadline);
        async Task CallbackAsync(int i, string status) =>
            Assert.Equal("updated", (await (await client.PostAsJsonAsync("api/callbacks/qiscus?token=qiscus-callback-secret",
                new { phone_number = Phone(i), status })).JsonAsync()).Str("outcome"));
        await CallbackAsync(0, "delivered");
        await CallbackAsync(0, "read");
        await CallbackAsync(1, "read"); // read, its delivery never reported

        var response = await client.GetAsync($"api/broadcasts/{id}/recipients.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var csv = CsvReader.Create(new StringReader(await response.Content.ReadAsStringAsync()), null, leaveOpen: false);
        await csv.ReadHeaderAsync(default);
        Assert.Equal(["row", "phone_number", "name", "status", "attempts", "provider_message_id", "error", "sent_at", "delivered_at", "read_at",
            "variables", "broadcast_name"], csv.Headers);
        var rows = new List<Dictionary<string, string>>();
        while (await csv.ReadAsync(default)) rows.Add(csv.Headers!.Select((h, i) => (h, v: csv.GetString(i) ?? "")).ToDictionary(x => x.h, x => x.v));
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("March invoices", r["broadcast_name"]));
        Assert.Equal(["read", "read", "sent"], rows.Select(r => r["status"]));
        Assert.Equal(["Rp. 00.000", "0 Maret"], JsonSerializer.Deserialize<string[]>(rows[0]["variables"])!);
        var sentAt = DateTimeOffset.Parse(rows[0]["sent_at"]);
        var deliveredAt = DateTimeOffset.Parse(rows[0]["delivered_at"]);
        var readAt = DateTimeOffset.Parse(rows[0]["read_at"]);
        Assert.True(sentAt <= deliveredAt && deliveredAt <= readAt, $"{sentAt:O} {deliveredAt:O} {readAt:O}");
        Assert.Equal("", rows[1]["delivered_at"]);
        Assert.NotEqual("", rows[1]["read_at"]);
        Assert.Equal(["", ""], new[] { rows[2]["delivered_at"], rows[2]["read_at"] });

        // The JSON log shows the same times.
        var log = await AllRecipientsAsync(client, id);
        Assert.Equal(readAt, log[0].GetProperty("read_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, log[2].GetProperty("delivered_at").ValueKind);
    }
}
