using Broadcast.Functions.Hosting;
using System.Net;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Hosting;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Broadcasts.BroadcastHelpers;
using static Broadcast.Tests.Drops.DropHelpers;

namespace Broadcast.Tests.Hosting;

/// <summary>The blob-triggered <c>BroadcastDrop</c> under the Functions host: the host's blob trigger payload posted
/// to the app in custom-handler mode, for CSVs and requests really dropped into the drops container in Azurite,
/// processed by the app's drop processor, the broadcast then run through the host's queue invocations.</summary>
public sealed class BlobTriggerContractTests
{
    private const string OmnichatTemplate = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3";

    private static Dictionary<string, string?> HostModeDrops(params (string Key, string Value)[] more)
    {
        var settings = Settings(more);
        foreach (var (key, value) in FunctionsHostDriver.HostMode()) settings[key] = value;
        return settings;
    }

    private static async Task<Invocation> TriggerAsync(FunctionsHostDriver host, TestApp app, string name, bool metadataHasName = true)
    {
        var content = await StorageOf(app).Blobs.ReadAllAsync(Container(app), name, CancellationToken.None) ?? [];
        var uri = app.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Container(app)).GetBlobClient(name).Uri;
        return (await host.InvokeAsync(FunctionsHost.DropFunction, FunctionsHostDriver.BlobPayload(content, metadataHasName ? name : null, uri))).AssertShape();
    }

    [Theory]
    [InlineData("promo.csv", true)]
    [InlineData("night/spring promo.csv", false)]
    public async Task A_dropped_csv_with_its_request_starts_its_broadcast_which_its_orchestration_sends(string csv, bool metadataHasName)
    {
        await using var stack = await Stack.StartAsync(HostModeDrops());
        var app = stack.App;
        using var host = new FunctionsHostDriver(app);
        await DropRequestAsync(app, csv[..^4] + ".json", new { name = "nightly promo", provider = "omnichat", template = new { id = OmnichatTemplate } });
        var etag = await DropSampleAsync(app, csv, "omnichat-named.csv");

        var answer = await TriggerAsync(host, app, csv, metadataHasName);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Contains(answer.Logs, l => l.Contains(csv) && l.Contains("started"));

        var result = (await ReportAsync(app, csv[..^4] + ".result.json"))!.Value;
        Assert.Equal(etag, result.Str("csv_etag"));
        var id = result.Str("broadcast_id");
        var done = await Poll.UntilAsync(() => StateAsync(app.Client, id), s => s.Str("status") == "completed", TimeSpan.FromSeconds(30), "the broadcast completed");
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(2, done.GetProperty("total_sent").GetInt32());
        Assert.Equal(2, stack.Sandbox.State.Requests("omnichat").Count);

        // The host triggers on the app's own report blob too, and on a second look at the CSV: nothing more starts.
        var report = await TriggerAsync(host, app, csv[..^4] + ".result.json");
        Assert.True(report.Status == HttpStatusCode.OK && report.Logs.Single().Contains("ignored"), report.ToString());
        var again = await TriggerAsync(host, app, csv);
        Assert.True(again.Status == HttpStatusCode.OK && again.Logs.Single().Contains($"already_started (broadcast {id})"), again.ToString());
        Assert.Single(await BroadcastsAsync(app));
    }

    [Fact]
    public async Task A_csv_waiting_for_its_request_is_answered_once_the_request_arrives()
    {
        await using var stack = await Stack.StartAsync(HostModeDrops());
        var app = stack.App;
        using var host = new FunctionsHostDriver(app);
        await DropSampleAsync(app, "late.csv", "omnichat-named.csv");
        Assert.Equal("waiting", (await ProcessAsync(app, "late.csv")).Outcome);

        var waiting = TriggerAsync(host, app, "late.csv");
        await DropRequestAsync(app, "late.json", new { name = "late promo", provider = "omnichat", template = new { id = OmnichatTemplate } });

        var answer = await waiting;
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Contains(answer.Logs, l => l.Contains("late.csv") && (l.Contains("started") || l.Contains("already_started (broadcast")));
        Assert.Equal("late promo", Assert.Single(await BroadcastsAsync(app)).Str("name"));
    }

    [Fact]
    public async Task A_csv_whose_request_never_comes_is_settled_invalid_when_the_grace_ends()
    {
        await using var stack = await Stack.StartAsync(HostModeDrops(("Drops:SidecarGrace", "00:00:01")));
        var app = stack.App;
        using var host = new FunctionsHostDriver(app);
        var etag = await DropSampleAsync(app, "orphan.csv", "omnichat-named.csv");

        var answer = await TriggerAsync(host, app, "orphan.csv");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Contains(answer.Logs, l => l.Contains("orphan.csv: invalid"));
        Assert.Equal(etag, (await ReportAsync(app, "orphan.error.json"))!.Value.Str("csv_etag"));
        Assert.Empty(await BroadcastsAsync(app));
    }
}
