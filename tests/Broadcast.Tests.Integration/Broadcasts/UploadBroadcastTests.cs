using System.Net;
using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Microsoft.DurableTask.Client;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Integration.Uploads;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Broadcasts;

public sealed class UploadBroadcastTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Vendors:Omnichat:RatePerSecond"] = "0",
        ["Vendors:Qiscus:RatePerSecond"] = "0",
    };

    [Fact]
    public async Task Every_recipient_of_the_qiscus_sample_upload_receives_its_own_variables_and_buttons()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var upload = await stack.App.PostFileAsync(await File.ReadAllBytesAsync(RepoPaths.Sample("qiscus-template.csv")));
        Assert.Equal(HttpStatusCode.Created, upload.Status);

        var id = await CreateAsync(stack.App.Client, new
        {
            name = "invoices", provider = "qiscus", upload_id = upload.Id,
            template = new { name = "invoince_update", id = "172", @namespace = "6616bb93_d895_41e7_8bbe_2c528219e56e", language = "id" },
        });
        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal(3, done.GetProperty("total_sent").GetInt32());
        Assert.Equal(upload.Id, done.Str("upload_id"));

        var sent = stack.Sandbox.State.Requests("qiscus").Select(r => JsonDocument.Parse(r.Body).RootElement)
            .ToDictionary(b => b.Str("phone_number"));
        Assert.Equal(["Rp. 30.000", "10 Maret 2022"], Variables(sent["6281527975868"]));
        Assert.Equal(["Rp. 125.500", "11 Maret 2022"], Variables(sent["6281290641111"]));
        Assert.Equal(["Rp. 1.250.000", "12 Maret 2022"], Variables(sent["628111222333"]));
        Assert.Equal("coba", sent["6281527975868"].GetProperty("button_params")[0].Str("values"));
        Assert.Equal("inv-3", sent["628111222333"].GetProperty("button_params")[0].Str("values"));
        Assert.All(sent.Values, b => Assert.Equal("invoices", b.Str("name")));

        var log = await AllRecipientsAsync(stack.App.Client, id);
        Assert.Equal([2, 3, 4], log.Select(r => r.GetProperty("row").GetInt32()));
        Assert.Equal("Siti, Aminah", log[2].Str("name"));
    }

    [Fact]
    public async Task Every_recipient_of_the_omnichat_sample_upload_receives_its_named_variables()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var upload = await stack.App.PostFileAsync(await File.ReadAllBytesAsync(RepoPaths.Sample("omnichat-named.csv")));
        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", upload_id = upload.Id, template = new { id = "510b32e9" } });
        await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        var sent = stack.Sandbox.State.Requests("omnichat").Select(r => JsonDocument.Parse(r.Body).RootElement).ToDictionary(b => b.Str("phone"));
        Assert.Equal("Budi", sent["6281290641111"].GetProperty("variables").Str("{name}"));
        Assert.Equal("Ani", sent["6281290642222"].GetProperty("variables").Str("{name}"));
        Assert.All(sent.Values, b => Assert.Equal("My Store", b.GetProperty("variables").Str("{business_name}")));
    }

    [Fact]
    public async Task An_unknown_or_unusable_upload_starts_nothing()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var missing = await stack.App.PostJsonAsync("api/broadcasts", new { provider = "omnichat", text = "x", upload_id = "nope" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("upload_id", (await missing.JsonAsync()).Str("field"));

        var invalid = await stack.App.PostFileAsync(UploadTestApi.Utf8("phone,name\n08x,A\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        var unusable = await stack.App.PostJsonAsync("api/broadcasts", new { provider = "omnichat", text = "x", upload_id = invalid.Id });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unusable.StatusCode);
        Assert.Empty((await stack.App.GetJsonAsync("api/broadcasts")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Broadcasts_are_listed_newest_first_and_paged()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CreateAsync(stack.App.Client, new { name = $"b{i}", provider = "omnichat", text = "x", recipients = InlineRecipients(1) }));
            await Task.Delay(5); // distinct creation milliseconds: the order under test
        }
        var first = await stack.App.GetJsonAsync("api/broadcasts?limit=2");
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(b => b.Str("id")));
        var next = await stack.App.GetJsonAsync($"api/broadcasts?limit=2&continuation={Uri.EscapeDataString(first.Str("continuation"))}");
        Assert.Equal([ids[0]], next.GetProperty("items").EnumerateArray().Select(b => b.Str("id")));
    }

    [Fact]
    public async Task A_start_ten_days_ahead_waits_in_its_orchestration_and_nothing_is_sent_early()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", text = "x", started_at = DateTimeOffset.UtcNow.AddDays(10), recipients = InlineRecipients(2) });

        // Its orchestration (instance id = broadcast id) waits on a durable timer, longer than any queue message may wait.
        var client = stack.App.Services.GetRequiredService<DurableTaskClient>();
        var instance = await Poll.UntilAsync(() => client.GetInstanceAsync(id), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Running,
            TimeSpan.FromSeconds(20), "its orchestration running");
        Assert.Equal(nameof(BroadcastOrchestration), instance!.Name);
        var state = await StateAsync(stack.App.Client, id);
        Assert.Equal("scheduled", state.Str("status"));
        Assert.Empty(stack.Sandbox.State.Requests("omnichat"));
    }

    private static List<string> Variables(JsonElement body) => body.GetProperty("variables").EnumerateArray().Select(v => v.GetString()!).ToList();
}
