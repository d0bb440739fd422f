using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Broadcasts;

public sealed class BroadcastWorkflowTests
{
    internal static readonly Dictionary<string, string?> Fast = new()
    {
        ["Vendors:Omnichat:RatePerSecond"] = "0",
        ["Vendors:Khoros:RatePerSecond"] = "0",
        ["Vendors:Qiscus:RatePerSecond"] = "0",
    };

    [Fact]
    public async Task Every_recipient_gets_its_own_variables_and_the_log_and_counters_agree()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var id = await CreateAsync(stack.App.Client, new
        {
            name = "spring promo", provider = "omnichat",
            template = new { id = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3" },
            recipients = InlineRecipients(250),
        });
        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(250, done.GetProperty("total_sent").GetInt32());
        Assert.Equal("spring promo", done.Str("name"));

        var received = stack.Sandbox.State.Requests("omnichat").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(250, received.Count);
        foreach (var body in received)
        {
            var i = int.Parse(body.Str("phone")[5..]);
            Assert.Equal($"Customer {i}", body.GetProperty("variables").Str("{name}"));
            Assert.Equal($"C-{i}", body.GetProperty("variables").Str("{code}"));
        }
        Assert.All(stack.Sandbox.State.Deliveries("omnichat").Values, n => Assert.Equal(1, n));

        var log = await AllRecipientsAsync(stack.App.Client, id);
        Assert.Equal(250, log.Count);
        Assert.Equal(Enumerable.Range(1, 250), log.Select(r => r.GetProperty("row").GetInt32()));
        Assert.All(log, r => Assert.Equal("sent", r.Str("status")));
        Assert.Equal(Phone(7), log[7].Str("phone_number"));
        Assert.Equal("Customer 7", log[7].Str("name"));

        var csv = await stack.App.Client.GetStringAsync($"api/broadcasts/{id}/recipients.csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,phone_number,name,status,attempts,provider_message_id,error,sent_at,delivered_at,read_at,variables,broadcast_name", lines[0]);
        Assert.Equal(251, lines.Length);
        Assert.StartsWith($"1,{Phone(0)},Customer 0,sent,1,", lines[1]);
        Assert.Contains("\"{\"\"{name}\"\":\"\"Customer 0\"\",\"\"{code}\"\":\"\"C-0\"\"}\"", lines[1]); // the variables, as JSON in a quoted cell
    }

    [Fact]
    public async Task Cancel_mid_run_stops_vendor_calls_settles_to_canceled_and_then_never_changes()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Vendors:Omnichat:RatePerSecond"] = "40" });
        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", text = "hi", recipients = InlineRecipients(600) });
        await Poll.UntilAsync(() => Task.FromResult(stack.Sandbox.State.Requests("omnichat").Count), n => n >= 40, TimeSpan.FromSeconds(30), "sending to begin");

        var askedAt = DateTimeOffset.UtcNow;
        var cancel = await stack.App.Client.PostAsync($"api/broadcasts/{id}/cancel", null);
        var answeredAt = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var canceling = await cancel.JsonAsync();
        Assert.Equal("canceling", canceling.Str("status"));
        Assert.Equal(JsonValueKind.Null, canceling.GetProperty("completed_at").ValueKind);
        AssertCountersAddUp(canceling);
        var canceledAt = canceling.GetProperty("canceled_at").GetDateTimeOffset();
        Assert.InRange(canceledAt, askedAt.AddMilliseconds(-50), answeredAt.AddMilliseconds(50));

        // canceling until every recipient has its final outcome; from the first canceled on, nothing changes.
        var done = await Poll.UntilAsync(async () =>
        {
            var s = await StateAsync(stack.App.Client, id);
            AssertCountersAddUp(s);
            if (s.Str("status") != "canceled") Assert.Equal("canceling", s.Str("status"));
            return s;
        }, s => s.Str("status") == "canceled", TimeSpan.FromSeconds(30), "the cancel to settle");
        Assert.Equal(JsonValueKind.String, done.GetProperty("completed_at").ValueKind);
        Assert.Equal(canceledAt, done.GetProperty("canceled_at").GetDateTimeOffset());
        Assert.Equal(0, done.GetProperty("total_queued").GetInt32());
        var settled = Counters(done);
        for (var poll = 0; poll < 10; poll++)
        {
            var again = await StateAsync(stack.App.Client, id);
            Assert.Equal("canceled", again.Str("status"));
            Assert.Equal(settled, Counters(again));
            Assert.Equal(done.Str("completed_at"), again.Str("completed_at"));
        }
        Assert.Equal(600, settled.Sent + settled.Canceled + settled.Failed + settled.Unknown + settled.Suppressed);

        var after = stack.Sandbox.State.Requests("omnichat").Count(r => r.ReceivedAt > answeredAt);
        Assert.True(after <= 100, $"{after} vendor calls started after the cancel answer (sends check for a cancel before every call)");
        Assert.Equal(600 - settled.Sent, settled.Canceled);
        Assert.True(settled.Canceled > 300);
        Assert.Equal(settled.Sent, stack.Sandbox.State.Deliveries("omnichat").Count);
        Assert.Equal(settled.Canceled, (await AllRecipientsAsync(stack.App.Client, id, "canceled")).Count);
        Assert.Equal(settled.Sent, (await AllRecipientsAsync(stack.App.Client, id, "sent")).Count);

        var twice = await stack.App.Client.PostAsync($"api/broadcasts/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("application/problem+json", twice.Content.Headers.ContentType?.MediaType);
    }

    private static (long Queued, long Sent, long Canceled, long Failed, long Unknown, long Suppressed) Counters(JsonElement s) =>
        (s.GetProperty("total_queued").GetInt64(), s.GetProperty("total_sent").GetInt64(), s.GetProperty("total_canceled").GetInt64(),
            s.GetProperty("total_failed").GetInt64(), s.GetProperty("total_unknown").GetInt64(), s.GetProperty("total_suppressed").GetInt64());

    [Fact]
    public async Task Canceling_a_scheduled_broadcast_sends_nothing_and_settles_at_once()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var id = await CreateAsync(stack.App.Client, new
        {
            provider = "omnichat", text = "hi", started_at = DateTimeOffset.UtcNow.AddDays(10), recipients = InlineRecipients(150),
        });
        var cancel = await stack.App.Client.PostAsync($"api/broadcasts/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var state = await cancel.JsonAsync();
        Assert.Equal("canceled", state.Str("status"));
        Assert.Equal(150, state.GetProperty("total_canceled").GetInt32());
        Assert.Equal(JsonValueKind.String, state.GetProperty("completed_at").ValueKind);
        AssertCountersAddUp(state);
        Assert.Equal("canceled", (await StateAsync(stack.App.Client, id)).Str("status"));
        Assert.Empty(stack.Sandbox.State.Requests("omnichat"));
    }

    [Fact]
    public async Task A_repeated_request_with_the_same_idempotency_key_answers_the_first_broadcast()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var request = new { provider = "omnichat", text = "once", recipients = InlineRecipients(3) };
        var first = await CreateAsync(stack.App.Client, request, "order-42");
        var second = await CreateAsync(stack.App.Client, request, "order-42");
        Assert.Equal(first, second);

        using var other = new HttpRequestMessage(HttpMethod.Post, "api/broadcasts")
        {
            Content = JsonContent.Create(new { provider = "omnichat", text = "different", recipients = InlineRecipients(3) }),
        };
        other.Headers.Add("Idempotency-Key", "order-42");
        var conflict = await stack.App.Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);

        await WaitFinishedAsync(stack.App.Client, first, TimeSpan.FromSeconds(30));
        Assert.All(stack.Sandbox.State.Deliveries("omnichat").Values, n => Assert.Equal(1, n));
        var list = await stack.App.GetJsonAsync("api/broadcasts");
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_429_storm_and_a_503_burst_mid_run_still_complete_with_everyone_sent_once()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Vendors:Omnichat:RatePerSecond"] = "400",
            ["Messaging:MaxAttempts"] = "8",
        });
        // The vendor allows 100/s while we start at 400/s: a storm of 429s the channel must slow down for.
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { RateLimitPerSecond = 100 });
        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", text = "hi", recipients = InlineRecipients(800) });
        await Poll.UntilAsync(() => Task.FromResult(stack.Sandbox.State.Requests("omnichat").Count), n => n >= 300, TimeSpan.FromSeconds(30), "sending to be under way");
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailNext = 60, FailStatus = 503 });

        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(90));
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(800, done.GetProperty("total_sent").GetInt32());
        Assert.Contains(stack.Sandbox.State.Requests("omnichat"), r => r.StatusCode == 429);
        Assert.Contains(stack.Sandbox.State.Requests("omnichat"), r => r.StatusCode == 503);
        var deliveries = stack.Sandbox.State.Deliveries("omnichat");
        Assert.Equal(800, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Permanent_failures_are_recorded_per_recipient()
    {
        await using var stack = await Stack.StartAsync(Fast);
        stack.Sandbox.State.Configure("khoros", new VendorBehavior { FailPhones = new() { ["+" + Phone(3)] = 400, ["+" + Phone(140)] = 422 } });
        var id = await CreateAsync(stack.App.Client, new { provider = "khoros", @event = "Send template", recipients = InlineRecipients(150) });
        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(148, done.GetProperty("total_sent").GetInt32());
        Assert.Equal(2, done.GetProperty("total_failed").GetInt32());
        var failed = await AllRecipientsAsync(stack.App.Client, id, "failed");
        Assert.Equal([Phone(3), Phone(140)], failed.Select(f => f.Str("phone_number")));
        Assert.All(failed, f => Assert.Contains(f.Str("phone_number"), f.Str("error")));
        Assert.Equal([4, 141], failed.Select(f => f.GetProperty("row").GetInt32()));
    }

    [Fact]
    public async Task Native_bulk_sends_khoros_audiences_of_the_configured_size()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>(Fast) { ["Vendors:Khoros:AudienceBatchSize"] = "100" });
        var id = await CreateAsync(stack.App.Client, new { provider = "khoros", text = "hello all", native_bulk = true, recipients = InlineRecipients(250) });
        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal(250, done.GetProperty("total_sent").GetInt32());
        var sizes = stack.Sandbox.State.Requests("khoros").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("audience").GetArrayLength()).Order().ToList();
        Assert.Equal([50, 100, 100], sizes);
        Assert.Equal(250, stack.Sandbox.State.Deliveries("khoros").Count);
    }

    [Fact]
    public async Task Native_bulk_sends_qiscus_csv_files_of_at_most_1000_and_keeps_their_broadcast_jobs()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var recipients = Enumerable.Range(0, 1001).Select(i => (object)new { to = Phone(i), name = $"C{i}", variables = new[] { $"Rp. {i}", $"{i} Maret" } }).ToArray();
        var response = await stack.App.PostJsonAsync("api/broadcasts", new
        {
            provider = "qiscus", native_bulk = true, name = "invoices",
            template = new { name = "invoince_update", id = 172, @namespace = "ns", language = "id" },
            recipients = recipients.Take(1000).ToArray(),
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).Str("id");
        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal(1000, done.GetProperty("total_sent").GetInt32());

        var uploads = stack.Sandbox.State.Requests("qiscus").Where(r => r.Path.EndsWith("upload_csv")).ToList();
        var upload = Assert.Single(uploads);
        Assert.Equal("sandbox-qiscus-secret", upload.Headers["Qiscus-Secret-Key"]);
        var sends = stack.Sandbox.State.Requests("qiscus").Where(r => r.Path.EndsWith("send_broadcast")).ToList();
        Assert.Single(sends);
        Assert.Equal(1000, stack.Sandbox.State.Deliveries("qiscus").Count);
        var log = await AllRecipientsAsync(stack.App.Client, id);
        Assert.All(log, r => Assert.StartsWith("broadcast_job:", r.Str("provider_message_id")));
        var file = JsonDocument.Parse(upload.Body).RootElement.GetProperty("files").Str("file");
        Assert.StartsWith("phone_number,customer_name,body_variable1,body_variable2", file);
        Assert.Contains($"{Phone(999)},C999,Rp. 999,999 Maret", file);
    }

    [Fact]
    public async Task Inline_recipients_are_limited_to_1000()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var response = await stack.App.PostJsonAsync("api/broadcasts", new { provider = "omnichat", text = "x", recipients = InlineRecipients(1001) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("recipients", (await response.JsonAsync()).Str("field"));
    }
}
