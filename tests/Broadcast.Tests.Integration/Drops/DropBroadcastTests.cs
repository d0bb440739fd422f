using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;
using static Broadcast.Tests.Integration.Drops.DropHelpers;

namespace Broadcast.Tests.Integration.Drops;

public sealed class DropBroadcastTests
{
    private const string OmnichatTemplate = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3";

    [Fact]
    public async Task A_drop_with_a_json_sidecar_runs_its_broadcast_to_completion_and_gets_its_ids_back()
    {
        await using var stack = await Stack.StartAsync(Settings());
        var app = stack.App;
        await DropRequestAsync(app, "night/customers.json", new { name = "nightly promo", provider = "omnichat", template = new { id = OmnichatTemplate } });
        var etag = await DropSampleAsync(app, "night/customers.csv", "omnichat-named.csv");

        var result = await WaitReportAsync(app, "night/customers.result.json", etag);
        var id = result.Str("broadcast_id");
        Assert.Equal($"/api/broadcasts/{id}", result.Str("status_uri"));
        Assert.Equal(2, result.GetProperty("valid_recipients").GetInt32());
        var done = await WaitFinishedAsync(app.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal("nightly promo", done.Str("name"));
        Assert.Equal(result.Str("upload_id"), done.Str("upload_id"));
        Assert.Equal(2, done.GetProperty("total_sent").GetInt32());

        var received = stack.Sandbox.State.Requests("omnichat").Select(r => JsonDocument.Parse(r.Body).RootElement).ToDictionary(b => b.Str("phone"));
        Assert.Equal(["6281290641111", "6281290642222"], received.Keys.Order());
        Assert.Equal("Budi", received["6281290641111"].GetProperty("variables").Str("{name}"));
        Assert.Equal("Ani", received["6281290642222"].GetProperty("variables").Str("{name}"));
        Assert.All(received.Values, b => Assert.Equal("My Store", b.GetProperty("variables").Str("{business_name}")));
        Assert.All(stack.Sandbox.State.Deliveries("omnichat").Values, n => Assert.Equal(1, n));
        Assert.Null(await ReportAsync(app, "night/customers.error.json"));
        Assert.Equal("already_started", (await SettledAsync(app, "night/customers.csv")).Outcome);
    }

    [Fact]
    public async Task A_csv_whose_metadata_carries_the_request_runs_its_broadcast_to_completion()
    {
        await using var stack = await Stack.StartAsync(Settings());
        var app = stack.App;
        var etag = await DropSampleAsync(app, "invoices.CSV", "qiscus-template.csv", new Dictionary<string, string>
        {
            ["provider"] = "qiscus",
            ["name"] = "invoice reminders",
            ["template"] = """{"name": "invoice_update", "id": 172, "namespace": "6616bb93_d895_41e7_8bbe_2c528219e56e", "language": "id"}""",
            ["delivery"] = "at_most_once",
        });

        var result = await WaitReportAsync(app, "invoices.result.json", etag);
        var done = await WaitFinishedAsync(app.Client, result.Str("broadcast_id"), TimeSpan.FromSeconds(30));
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal("invoice reminders", done.Str("name"));
        Assert.Equal("at_most_once", done.Str("delivery"));
        Assert.Equal(3, done.GetProperty("total_sent").GetInt32());

        var received = stack.Sandbox.State.Requests("qiscus").Select(r => JsonDocument.Parse(r.Body).RootElement).ToDictionary(b => b.Str("phone_number"));
        string[] Variables(string phone) => received[phone].GetProperty("variables").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.Equal(["Rp. 30.000", "10 Maret 2022"], Variables("6281527975868"));
        Assert.Equal(["Rp. 125.500", "11 Maret 2022"], Variables("6281290641111"));
        Assert.Equal(["Rp. 1.250.000", "12 Maret 2022"], Variables("628111222333"));
        Assert.Equal("inv-3", received["628111222333"].GetProperty("button_params")[0].Str("values"));
        Assert.All(stack.Sandbox.State.Deliveries("qiscus").Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_request_arriving_after_its_csv_within_the_grace_starts_the_broadcast_then()
    {
        await using var stack = await Stack.StartAsync(Settings());
        var app = stack.App;
        var etag = await DropCsvAsync(app, "late.csv", Numbers(0, 3));

        var waiting = await ProcessAsync(app, "late.csv");
        Assert.Equal("waiting", waiting.Outcome);
        Assert.Contains("late.json", waiting.Detail);
        Assert.Null(await ReportAsync(app, "late.result.json"));
        Assert.Null(await ReportAsync(app, "late.error.json"));
        Assert.Empty(await BroadcastsAsync(app));

        await DropRequestAsync(app, "late.json", new { provider = "khoros", text = "Your code is {code}" });
        var result = await WaitReportAsync(app, "late.result.json", etag);
        var done = await WaitFinishedAsync(app.Client, result.Str("broadcast_id"), TimeSpan.FromSeconds(30));
        Assert.Equal(3, done.GetProperty("total_sent").GetInt32());
        var speech = stack.Sandbox.State.Requests("khoros").Select(r => r.Body).ToList();
        Assert.Contains(speech, b => b.Contains("Your code is C-2"));
    }

    [Fact]
    public async Task A_csv_whose_request_never_arrives_gets_an_error_file_once_the_grace_is_over()
    {
        await using var stack = await Stack.StartAsync(Settings(("Drops:SidecarGrace", "00:00:01")));
        var app = stack.App;
        var etag = await DropCsvAsync(app, "orphan.csv", Numbers(0, 2));

        var error = await WaitReportAsync(app, "orphan.error.json", etag);
        Assert.Equal("No broadcast request", error.Str("title"));
        Assert.Contains("orphan.json", error.Str("detail"));
        Assert.Equal("orphan.json is missing", error.GetProperty("errors")[0].Str("error"));
        Assert.Empty(await BroadcastsAsync(app));
        Assert.Equal("invalid", (await SettledAsync(app, "orphan.csv")).Outcome);
        // The request arriving now changes nothing: the drop was settled. Uploading the CSV again would be a new drop.
        await DropRequestAsync(app, "orphan.json", new { provider = "khoros", text = "hi" });
        Assert.Equal("invalid", (await ProcessAsync(app, "orphan.json")).Outcome);
        Assert.Equal(0, stack.Sandbox.State.TotalRequests("khoros"));
    }

    [Fact]
    public async Task A_new_upload_of_the_same_name_is_a_new_drop_with_its_own_broadcast()
    {
        await using var stack = await Stack.StartAsync(Settings());
        var app = stack.App;
        await DropRequestAsync(app, "daily.json", new { provider = "omnichat", text = "Your code is {code}" });
        var first = await WaitReportAsync(app, "daily.result.json", await DropCsvAsync(app, "daily.csv", Numbers(0, 2)));
        await WaitFinishedAsync(app.Client, first.Str("broadcast_id"), TimeSpan.FromSeconds(30));

        var secondEtag = await DropCsvAsync(app, "daily.csv", Numbers(10, 3));
        var second = await WaitReportAsync(app, "daily.result.json", secondEtag);
        Assert.NotEqual(first.Str("broadcast_id"), second.Str("broadcast_id"));
        var done = await WaitFinishedAsync(app.Client, second.Str("broadcast_id"), TimeSpan.FromSeconds(30));
        Assert.Equal(3, done.GetProperty("total_sent").GetInt32());
        Assert.Equal(2, (await BroadcastsAsync(app)).Count);
        var deliveries = stack.Sandbox.State.Deliveries("omnichat");
        Assert.Equal(5, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
    }
}
