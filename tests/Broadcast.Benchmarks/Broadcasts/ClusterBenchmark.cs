using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Storage;

namespace Broadcast.Benchmarks.Broadcasts;

/// <summary>
/// <c>broadcast --instances N</c>: N app processes on one on-disk Azurite, one broadcast against a sandbox that
/// enforces the channel's limit (the app's rate plus 10 % headroom for jitter, unless <c>--vendor-limit</c> says
/// otherwise). Prints the total and per-instance vendor-side rates, the 429s, who was reached how often, and the
/// storage operations the pacing cost (each instance reports its own in its lease row). <c>--kill-one</c> kills
/// the last instance at 40 % and prints how long the survivors took to hold the whole rate again.
/// </summary>
public static class ClusterBenchmark
{
    /// <param name="Rate">The channel's pace, sends per second, shared by the instances.</param>
    /// <param name="VendorLimit">The sandbox's limit, sends per second: 429 above it.</param>
    /// <param name="Concurrency">Vendor calls in flight for the whole channel.</param>
    public sealed record Settings(int Instances, int Recipients, int Rate, int VendorLimit, int LatencyMs, int Concurrency, bool KillOne);

    public static async Task<int> RunAsync(Settings settings)
    {
        var (instances, n, rate, vendorLimit, latency, concurrency, killOne) = settings;

        await using var azurite = await Azurite.StartOnDiskAsync();
        await using var sandbox = await SandboxApp.StartAsync(s => s.Record = false);
        sandbox.State.Configure("omnichat", new VendorBehavior { LatencyMs = latency, RateLimitPerSecond = vendorLimit });
        Console.WriteLine($"instances={instances} recipients={n} app_rate={rate}/s vendor_limit={vendorLimit}/s latency_ms={latency} concurrency={concurrency} (whole channel)");

        var prefix = "bench" + Guid.NewGuid().ToString("N")[..6];
        var names = new StorageNames(prefix);
        var storage = AzureStorage.FromConnectionString(azurite.ConnectionString, names);
        var apps = new List<App>();
        try
        {
            for (var i = 0; i < instances; i++)
                apps.Add(App.Start(azurite.ConnectionString, prefix, sandbox.BaseUrl, rate, concurrency));
            foreach (var app in apps) await app.WaitReadyAsync();
            var client = apps[0].Client;

            var csv = new StringBuilder("phone,name,code\n");
            for (var i = 0; i < n; i++) csv.Append($"62812{i:D8},Customer {i},C-{i}\n");
            var uploaded = await client.PostAsync("api/uploads", new StringContent(csv.ToString(), Encoding.UTF8, new MediaTypeHeaderValue("text/csv")));
            var uploadId = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("upload_id").GetString();
            var created = await client.PostAsJsonAsync("api/broadcasts", new { provider = "omnichat", upload_id = uploadId, text = "Hi {name}, your code is {code}" });
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

            var clock = Stopwatch.StartNew();
            var samples = new List<(double Seconds, long Accepted)>();
            var lastRows = new Dictionary<string, (long Sent, long Ops, double Rate)>();
            Dictionary<string, (long Sent, long Ops, double Rate)>? atFrom = null, atTo = null;
            double fromSeconds = 0, toSeconds = 0;
            double? killedAt = null, takenOverAfter = null;
            JsonElement state;
            while (true)
            {
                await Task.Delay(250);
                var accepted = sandbox.State.AcceptedCount("omnichat");
                samples.Add((clock.Elapsed.TotalSeconds, accepted));
                var live = await ReadLeasesAsync(storage, names);
                foreach (var (row, values) in live) lastRows[row] = values;
                if (atFrom is null && accepted >= n * 0.1) (atFrom, fromSeconds) = (new(lastRows), clock.Elapsed.TotalSeconds);
                if (atTo is null && accepted >= n * 0.9) (atTo, toSeconds) = (new(lastRows), clock.Elapsed.TotalSeconds);
                if (killOne && killedAt is null && accepted >= n * 0.4)
                {
                    apps[^1].Kill();
                    killedAt = clock.Elapsed.TotalSeconds;
                    Console.WriteLine($"killed instance {apps.Count} (pid {apps[^1].Pid}) at {accepted} accepted");
                }
                if (killedAt is not null && takenOverAfter is null)
                {
                    var survivors = live.Where(r => apps.Take(apps.Count - 1).Any(a => r.Key.Contains($"-{a.Pid}-")) && r.Value.Rate > 0).Sum(r => r.Value.Rate);
                    if (survivors >= rate * 0.99) takenOverAfter = clock.Elapsed.TotalSeconds - killedAt;
                }
                state = JsonDocument.Parse(await client.GetStringAsync($"api/broadcasts/{id}")).RootElement;
                if (state.GetProperty("completed_at").ValueKind == JsonValueKind.String) break;
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var stats = JsonDocument.Parse(await sandbox.CreateClient().GetStringAsync("sandbox/stats")).RootElement.GetProperty("omnichat");
            var deliveries = sandbox.State.Deliveries("omnichat");
            var steady = SteadyRate(samples, n);

            Console.WriteLine($"status {state.GetProperty("status").GetString()}: sent {state.GetProperty("total_sent").GetInt64()}, failed {state.GetProperty("total_failed").GetInt64()} in {seconds:0.0} s");
            Console.WriteLine($"total steady rate: {steady:0.0} sends/s (vendor side, between 10% and 90% accepted)");
            Console.WriteLine($"vendor answered 429: {stats.GetProperty("rejected").GetInt64()} times (rejected requests of any kind)");
            Console.WriteLine($"deliveries: {deliveries.Count} numbers reached, {deliveries.Values.Count(v => v > 1)} more than once, {n - deliveries.Count} never");
            // Sent and Ops count from the process's start: a process that went idle and came back has a row per
            // session, each with its running totals, so the latest (largest) is the process's.
            long SentBy(Dictionary<string, (long Sent, long Ops, double Rate)>? rows, int pid) =>
                rows?.Where(r => r.Key.Contains($"-{pid}-")).Select(r => r.Value.Sent).DefaultIfEmpty(0).Max() ?? 0;
            for (var i = 0; i < apps.Count; i++)
            {
                var pid = apps[i].Pid;
                var steadyShare = toSeconds > fromSeconds ? (SentBy(atTo, pid) - SentBy(atFrom, pid)) / (toSeconds - fromSeconds) : 0;
                Console.WriteLine($"instance {i + 1} (pid {pid}): {SentBy(lastRows, pid)} sends, {steadyShare:0.0}/s steady (10%-90%){(apps[i].Killed ? " (killed; its rate is averaged over the window)" : "")}");
            }
            var ops = lastRows.GroupBy(r => r.Key[..r.Key.LastIndexOf(':')]).Sum(g => g.Max(r => r.Value.Ops));
            Console.WriteLine($"pacing storage operations: {ops} in {seconds:0.0} s = {ops / seconds:0.0}/s for the channel ({ops / seconds / instances:0.0}/s per instance), {(double)ops / n:0.000} per message");
            if (killOne) Console.WriteLine(takenOverAfter is { } t ? $"survivors held the whole rate again {t:0.0} s after the kill" : "survivors never held the whole rate again");
            return 0;
        }
        finally
        {
            foreach (var app in apps) app.Dispose();
        }
    }

    /// <summary>Each instance's latest lease row: sends it started, storage operations it spent, its current rate.</summary>
    private static async Task<Dictionary<string, (long Sent, long Ops, double Rate)>> ReadLeasesAsync(IStorage storage, StorageNames names)
    {
        var result = new Dictionary<string, (long, long, double)>();
        var partition = PacingKeys.Channel(ChannelKey);
        try
        {
            var page = await storage.Tables.QueryAsync(names.ChannelLeasesTable, partition, "i:", 1000, null, CancellationToken.None);
            foreach (var row in page.Rows.Where(r => r.RowKey.StartsWith("i:", StringComparison.Ordinal)))
                result[row.RowKey] = (row.GetLong("Sent"), row.GetLong("Ops"), row["Rate"] is double d ? d : 0);
        }
        catch (Exception)
        {
            // The table does not exist until the first instance creates it.
        }
        return result;
    }

    /// <summary>The channel's key, as the app's Omnichat adapter names it.</summary>
    private static readonly string ChannelKey = ChannelKeyOf();

    private static string ChannelKeyOf()
    {
        using var client = new Broadcast.Core.Vendors.Omnichat.OmnichatClient(new Broadcast.Core.Vendors.Omnichat.OmnichatOptions { ApiKey = "sandbox-omnichat-key", DeviceKey = "bench-device" });
        return client.ChannelKey(new Broadcast.Core.Messaging.ChannelSpec(DeviceKey: "bench-device"));
    }

    private static double SteadyRate(List<(double Seconds, long Accepted)> samples, int n)
    {
        var a = samples.FirstOrDefault(s => s.Accepted >= n * 0.1);
        var b = samples.FirstOrDefault(s => s.Accepted >= n * 0.9);
        return b.Seconds > a.Seconds ? (b.Accepted - a.Accepted) / (b.Seconds - a.Seconds) : 0;
    }


    internal sealed class App : IDisposable
    {
        private readonly Process _process;

        private App(Process process, HttpClient client)
        {
            _process = process;
            Client = client;
        }

        public HttpClient Client { get; }
        public int Pid => _process.Id;
        public bool Killed { get; private set; }

        public static App Start(string connection, string prefix, Uri sandbox, int rate, int concurrency)
        {
            var port = Ports.Free();
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "src", "Broadcast.Functions", "bin", configuration, "net10.0", "Broadcast.Functions.dll"));
            var env = new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["AzureWebJobsStorage"] = connection,
                ["Storage__NamePrefix"] = prefix,
                ["Workflow__WorkerId"] = $"bench-{port}", // instances side by side, each with its own partition leases
                ["Api__Keys"] = "bench",
                ["Logging__LogLevel__Default"] = "Warning",
                ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval"] = "00:00:00.100",
                // Small batches so that every instance holds some of one 4,000-recipient broadcast.
                ["Workflow__BatchSize"] = "100",
                ["Workflow__MaxConcurrentBatches"] = "8",
                ["Vendors__Omnichat__BaseUrl"] = sandbox.ToString().TrimEnd('/'),
                ["Vendors__Omnichat__ApiKey"] = "sandbox-omnichat-key",
                ["Vendors__Omnichat__DeviceKey"] = "bench-device",
                ["Vendors__Omnichat__RatePerSecond"] = rate.ToString(),
                ["Vendors__Omnichat__MaxConcurrency"] = concurrency.ToString(),
                ["DOTNET_gcServer"] = "0",
            };
            foreach (var (k, v) in env) psi.Environment[k] = v;
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine(line); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Add("x-functions-key", "bench");
            return new App(process, client);
        }

        public async Task WaitReadyAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                if (_process.HasExited) throw new InvalidOperationException($"an app process exited with code {_process.ExitCode}");
                try
                {
                    if ((await Client.GetAsync("api/health")).IsSuccessStatusCode) return;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200);
            }
            throw new TimeoutException("an app process did not answer /api/health within 90 s");
        }

        public void Kill()
        {
            Killed = true;
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
            Client.Dispose();
        }
    }
}
