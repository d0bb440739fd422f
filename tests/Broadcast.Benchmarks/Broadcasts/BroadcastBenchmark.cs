using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Durable;
using Microsoft.DurableTask.Client;

namespace Broadcast.Benchmarks.Broadcasts;

/// <summary>
/// In one process and one run: (a) a bare loop of N sends straight to the sandbox at the channel's concurrency,
/// the ceiling on this machine; (b) the same N recipients through a real broadcast end to end (CSV upload, durable
/// workflow, Azurite, vendor adapter). Prints sends/s for both, b/a, the steady vendor-side rate, 429s seen and the
/// process's peak working set.
/// </summary>
public static class BroadcastBenchmark
{
    /// <param name="Rate">The app's pace, sends per second; 0 leaves it unpaced.</param>
    /// <param name="VendorLimit">The sandbox's limit, sends per second; 0 sets none.</param>
    /// <param name="Telemetry">Telemetry on as an operator would have it: every span and metric produced and exported
    /// (to the in-process local view, so that the figure is the product's cost, not a collector's), with the default sampler.</param>
    /// <param name="Unexported">Diagnosis: spans and metrics produced, nothing reading or exporting them (what the
    /// instrumentation costs alone).</param>
    public sealed record Settings(int Recipients, int LatencyMs, int Rate, int VendorLimit, int Concurrency, bool SkipBare, bool Telemetry,
        bool Unexported);

    public static async Task<int> RunAsync(Settings settings)
    {
        var (n, latency, rate, vendorLimit, concurrency, skipBare, telemetry, unexported) = settings;

        using var memory = new PeakMemory();
        await using var azurite = await Azurite.StartOnDiskAsync();
        await using var sandbox = await SandboxApp.StartAsync(s => s.Record = false);
        var behavior = new VendorBehavior { LatencyMs = latency, RateLimitPerSecond = vendorLimit > 0 ? vendorLimit : null };
        sandbox.State.Configure("omnichat", behavior);
        Console.WriteLine($"recipients={n} latency_ms={latency} app_rate={(rate == 0 ? "unlimited" : rate + "/s")} vendor_limit={(vendorLimit == 0 ? "none" : vendorLimit + "/s")} concurrency={concurrency} telemetry={(telemetry ? "on" : "off")}");

        double bare = 0;
        if (!skipBare)
        {
            bare = await BareLoopAsync(sandbox.BaseUrl, n, concurrency);
            Console.WriteLine($"(a) bare loop:  {bare,10:0} sends/s");
            sandbox.State.Reset();
            sandbox.State.Configure("omnichat", behavior);
        }

        var appSettings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Api:Keys"] = "bench",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Vendors:Omnichat:BaseUrl"] = sandbox.BaseUrl.ToString().TrimEnd('/'),
            ["Vendors:Omnichat:ApiKey"] = "sandbox-omnichat-key",
            ["Vendors:Omnichat:DeviceKey"] = "bench-device",
            ["Vendors:Omnichat:RatePerSecond"] = rate.ToString(),
            ["Vendors:Omnichat:MaxConcurrency"] = concurrency.ToString(),
            // Idle queues are polled at most this far apart (host.json: 500 ms), as the engine before this one was in this benchmark.
            ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:00.100",
            ["Telemetry:Enabled"] = telemetry ? "true" : "false",
            ["Telemetry:LocalView"] = telemetry && !unexported ? "true" : "false",
        };
        await using var app = BroadcastApp.Build([], appSettings);
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Add("x-functions-key", "bench");

        var csv = Path.Combine(Path.GetTempPath(), $"bench-{n}.csv");
        WriteCsv(csv, n);
        var clock = Stopwatch.StartNew();
        string uploadId;
        await using (var file = File.OpenRead(csv))
        {
            var content = new StreamContent(file, 1 << 16);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var uploaded = await client.PostAsync("api/uploads", content);
            var body = await uploaded.Content.ReadAsStringAsync();
            if (!uploaded.IsSuccessStatusCode) throw new InvalidOperationException($"upload answered {(int)uploaded.StatusCode}: {body}");
            uploadId = JsonDocument.Parse(body).RootElement.GetProperty("upload_id").GetString()!;
        }
        var uploadSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"upload:         {uploadSeconds,10:0.00} s for {new FileInfo(csv).Length / 1024 / 1024.0:0.0} MB");

        using var operations = new StorageOperations(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        var polls = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var created = await client.PostAsJsonAsync("api/broadcasts", new { provider = "omnichat", upload_id = uploadId, text = "Hi {name}, your code is {code}" });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()
            ?? throw new InvalidOperationException("no broadcast id");

        var samples = new List<(double Seconds, long Accepted)>();
        JsonElement state;
        while (true)
        {
            await Task.Delay(250);
            samples.Add((clock.Elapsed.TotalSeconds, sandbox.State.AcceptedCount("omnichat")));
            state = JsonDocument.Parse(await client.GetStringAsync($"api/broadcasts/{id}")).RootElement;
            polls++;
            if (state.GetProperty("completed_at").ValueKind == JsonValueKind.String) break;
        }
        var endToEnd = n / clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var sendingOperations = operations.Count - polls; // each of this loop's GETs read the broadcast row once
        var stats = JsonDocument.Parse(await sandbox.CreateClient().GetStringAsync("sandbox/stats")).RootElement.GetProperty("omnichat");

        Console.WriteLine($"(b) end to end: {endToEnd,10:0} sends/s  ({n} recipients in {clock.Elapsed.TotalSeconds:0.0} s, status {state.GetProperty("status").GetString()}, sent {state.GetProperty("total_sent").GetInt64()}, failed {state.GetProperty("total_failed").GetInt64()})");
        // The app and the in-process sandbox; not Azurite (its own process). Steadier than the rate on a shared machine.
        Console.WriteLine($"cpu:            {cpu.TotalMicroseconds / n,10:0.0} µs per recipient ({cpu.TotalSeconds:0.0} s of CPU, app and sandbox)");
        if (bare > 0) Console.WriteLine($"b/a:            {endToEnd / bare,10:0.00}");
        Console.WriteLine($"vendor-side steady rate: {SteadyRate(samples, n):0.0} sends/s (between 10% and 90% of recipients accepted)");
        Console.WriteLine($"timeline:       first send by {FirstSampleAt(samples, 1):0.00} s, last by {FirstSampleAt(samples, n):0.00} s, completed by {clock.Elapsed.TotalSeconds:0.00} s (250 ms samples)");
        Console.WriteLine($"vendor answered 429: {stats.GetProperty("rejected").GetInt64()} times (rejected requests of any kind)");
        var deliveries = sandbox.State.Deliveries("omnichat");
        Console.WriteLine($"deliveries: {deliveries.Count} numbers reached, {deliveries.Values.Count(v => v > 1)} more than once, {n - deliveries.Count} never");
        Console.WriteLine($"storage operations: {sendingOperations} from POST to completed ({sendingOperations * 1000.0 / n:0.0} per 1,000 recipients; the upload and this loop's {polls} polls not counted)");
        Console.WriteLine($"peak working set: {memory.PeakWorkingSetMb:0} MB, peak managed heap: {memory.PeakManagedMb:0} MB");
        await PrintOrchestrationsAsync(app, azurite.ConnectionString, id);
        File.Delete(csv);
        await app.StopAsync();
        return 0;
    }

    private static double FirstSampleAt(List<(double Seconds, long Accepted)> samples, long accepted) =>
        samples.FirstOrDefault(s => s.Accepted >= accepted).Seconds;

    private static double SteadyRate(List<(double Seconds, long Accepted)> samples, int n)
    {
        var from = samples.FirstOrDefault(s => s.Accepted >= n * 0.1);
        var to = samples.FirstOrDefault(s => s.Accepted >= n * 0.9);
        return to.Seconds > from.Seconds ? (to.Accepted - from.Accepted) / (to.Seconds - from.Seconds) : 0;
    }

    private static void WriteCsv(string path, int n)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.Write("phone,name,code\n");
        for (var i = 0; i < n; i++) w.Write($"62812{i:D8},Customer {i},C-{i}\n");
    }

    private static async Task<double> BareLoopAsync(Uri sandbox, int n, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = sandbox };
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                var body = $$"""{"phone":"62812{{i:D8}}","device_key":"bench-device","api_key":"sandbox-omnichat-key","method":"text","text":"Hi Customer {{i}}, your code is C-{{i}}","is_group":false}""";
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("api-app/whatsapp/send-message", content);
                await response.Content.ReadAsByteArrayAsync();
            }
        }));
        return n / clock.Elapsed.TotalSeconds;
    }


    /// <summary>The broadcast's orchestration instances in the task hub (its own and its batch ranges', all prefixed
    /// with its id): their status, and the longest history, which the fan-out tree keeps bounded.</summary>
    private static async Task PrintOrchestrationsAsync(Microsoft.AspNetCore.Builder.WebApplication app, string connectionString, string id)
    {
        var instance = await app.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(id);
        var hub = app.Services.GetRequiredService<TaskHubSettings>().TaskHubName(app.Services.GetRequiredService<StorageNames>().Prefix);
        var history = new TableClient(connectionString, hub + "History");
        var events = new Dictionary<string, int>();
        await foreach (var row in history.QueryAsync<TableEntity>($"PartitionKey ge '{id}' and PartitionKey lt '{id};'", select: ["PartitionKey"]))
            events[row.PartitionKey] = events.GetValueOrDefault(row.PartitionKey) + 1;
        var longest = events.MaxBy(e => e.Value);
        Console.WriteLine($"orchestration: {instance?.RuntimeStatus}, {events.Count} instances in {hub}History, longest history {longest.Value} events ({longest.Key}), bound {SendBatchesOrchestration.MaxHistoryEvents}");
    }

    private sealed class PeakMemory : IDisposable
    {
        private readonly Timer _timer;
        public double PeakWorkingSetMb { get; private set; }
        public double PeakManagedMb { get; private set; }

        public PeakMemory() => _timer = new Timer(_ =>
        {
            using var p = Process.GetCurrentProcess();
            PeakWorkingSetMb = Math.Max(PeakWorkingSetMb, p.WorkingSet64 / 1048576.0);
            PeakManagedMb = Math.Max(PeakManagedMb, GC.GetTotalMemory(false) / 1048576.0);
        }, null, 0, 100);

        public void Dispose() => _timer.Dispose();
    }
}
