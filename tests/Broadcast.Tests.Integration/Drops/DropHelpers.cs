using System.Text;
using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Functions.Drops;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Integration.Drops;

/// <summary>Drops blobs into an app's (prefixed) drops container and reads back what became of them.</summary>
internal static class DropHelpers
{
    /// <summary>A poll every 200 ms and unpaced vendors: a drop starts and finishes in well under a second.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Drops:PollInterval"] = "00:00:00.200",
            ["Vendors:Omnichat:RatePerSecond"] = "0",
            ["Vendors:Khoros:RatePerSecond"] = "0",
            ["Vendors:Qiscus:RatePerSecond"] = "0",
        };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    public static string Container(TestApp app) => app.Services.GetRequiredService<StorageNames>().DropsContainer("broadcast-drops");

    public static IStorage StorageOf(TestApp app) => app.Services.GetRequiredService<IStorage>();

    public static IDropProcessor Processor(TestApp app) => app.Services.GetRequiredService<IDropProcessor>();

    public static Task<DropResult> ProcessAsync(TestApp app, string name) => Processor(app).ProcessAsync(name, CancellationToken.None);

    /// <summary>Processes the drop until it is settled: its report is written just before its receipt settles.</summary>
    public static Task<DropResult> SettledAsync(TestApp app, string name) =>
        Poll.UntilAsync(() => ProcessAsync(app, name), r => r is not { Outcome: "already_started", BroadcastId: null },
            TimeSpan.FromSeconds(10), $"{name} to settle");

    /// <summary>The watcher creates the container when it starts; a test may get there first.</summary>
    public static Task EnsureContainerAsync(TestApp app) => StorageOf(app).Blobs.EnsureContainerAsync(Container(app), CancellationToken.None);

    public static async Task<string> DropCsvAsync(TestApp app, string name, string csv, IReadOnlyDictionary<string, string>? metadata = null) =>
        await DropCsvAsync(app, name, Encoding.UTF8.GetBytes(csv), metadata);

    /// <summary>Uploads the CSV; answers its ETag (the drop's identity).</summary>
    public static async Task<string> DropCsvAsync(TestApp app, string name, byte[] csv, IReadOnlyDictionary<string, string>? metadata = null)
    {
        await EnsureContainerAsync(app);
        await StorageOf(app).Blobs.UploadAsync(Container(app), name, csv, "text/csv", CancellationToken.None, metadata);
        return (await StorageOf(app).Blobs.GetInfoAsync(Container(app), name, CancellationToken.None))!.ETag;
    }

    public static Task<string> DropSampleAsync(TestApp app, string name, string sample, IReadOnlyDictionary<string, string>? metadata = null) =>
        DropCsvAsync(app, name, File.ReadAllBytes(RepoPaths.Sample(sample)), metadata);

    public static async Task DropJsonAsync(TestApp app, string name, string json)
    {
        await EnsureContainerAsync(app);
        await StorageOf(app).Blobs.UploadAsync(Container(app), name, Encoding.UTF8.GetBytes(json), "application/json", CancellationToken.None);
    }

    public static Task DropRequestAsync(TestApp app, string name, object request) =>
        DropJsonAsync(app, name, JsonSerializer.Serialize(request));

    public static async Task<JsonElement?> ReportAsync(TestApp app, string name)
    {
        var bytes = await StorageOf(app).Blobs.ReadAllAsync(Container(app), name, CancellationToken.None);
        return bytes is null ? null : JsonDocument.Parse(bytes).RootElement.Clone();
    }

    /// <summary>Waits for <c>name.result.json</c> or <c>name.error.json</c> describing the CSV version <paramref name="etag"/>.</summary>
    public static async Task<JsonElement> WaitReportAsync(TestApp app, string name, string etag, TimeSpan? timeout = null)
    {
        var report = await Poll.UntilAsync(() => ReportAsync(app, name), r => r is { } json && json.Str("csv_etag") == etag,
            timeout ?? TimeSpan.FromSeconds(20), $"{name} for version {etag}");
        return report!.Value;
    }

    public static async Task<List<JsonElement>> BroadcastsAsync(TestApp app) =>
        (await app.GetJsonAsync("api/broadcasts?limit=100")).GetProperty("items").EnumerateArray().ToList();

    public static async Task<List<string>> BlobNamesAsync(TestApp app, string container)
    {
        var names = new List<string>();
        await foreach (var blob in StorageOf(app).Blobs.ListAsync(container, null, CancellationToken.None)) names.Add(blob.Name);
        return names;
    }

    public static string Numbers(int from, int count) =>
        "phone,name,{code}\n" + string.Concat(Enumerable.Range(from, count).Select(i => $"{Broadcasts.BroadcastHelpers.Phone(i)},Customer {i},C-{i}\n"));
}
