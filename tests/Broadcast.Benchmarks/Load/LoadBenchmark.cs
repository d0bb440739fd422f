using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Broadcast.Benchmarks.Broadcasts;

namespace Broadcast.Benchmarks.Load;

/// <summary>
/// <c>load --concurrency N --requests M [--uploads U] [--upload-rows R]</c>: the app as its own process on an on-disk
/// Azurite, the zero-latency sandbox in this process. N callers fire M <c>POST /api/messages</c> in all (each
/// followed by a <c>GET</c> of what it created); with <c>--uploads U</c>, U more callers upload R-row CSVs at the same
/// time. Meanwhile <c>/api/health</c> is asked every 100 ms and the app's thread count read every 100 ms. Prints
/// accept latencies, health latencies, the thread count, and whether every message reached the vendor exactly once.
/// </summary>
public static class LoadBenchmark
{
    /// <param name="InMemory">Azurite in memory instead of on disk: what the emulator's disk writes cost.</param>
    public sealed record Settings(int Concurrency, int Requests, int Uploads, int UploadRows, int Warmup, bool InMemory);

    public static async Task<int> RunAsync(Settings settings)
    {
        var (concurrency, requests, uploads, uploadRows, warmup, inMemory) = settings;
        Console.WriteLine($"concurrency={concurrency} requests={requests} uploads={uploads}x{uploadRows} rows warmup={warmup}");

        // On disk by default, as the other benchmarks; --in-memory shows what the emulator's disk writes cost.
        await using var azurite = inMemory ? await Azurite.StartAsync() : await Azurite.StartOnDiskAsync();
        await using var sandbox = await SandboxApp.StartAsync(s => s.Record = false);
        using var app = ClusterBenchmark.App.Start(azurite.ConnectionString, "load" + Guid.NewGuid().ToString("N")[..6], sandbox.BaseUrl,
            rate: 0, concurrency: 32);
        await app.WaitReadyAsync();
        // Warm up: the first calls pay for JIT, tiered compilation and storage connections, which is not what this
        // measures (--warmup 0 shows it). The warm-up's messages are sent and delivered before the measured ones start.
        for (var i = 0; i < 5; i++) await app.Client.GetAsync("api/health");
        var warm = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(warmup, concurrency)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref warm)) < warmup)
            {
                var r = await app.Client.PostAsJsonAsync("api/messages", new { provider = "omnichat", to = $"+62815{i:D7}", text = "warm-up" });
                if (r.Headers.Location is { } at) await app.Client.GetAsync(at);
            }
        })));
        var warmCsv = Csv(uploadRows);
        if (warmup > 0)
            await Task.WhenAll(Enumerable.Range(0, Math.Min(uploads, 4)).Select(u => UploadAsync(app.Client, warmCsv, $"warm-{u}.csv")));
        var warmDeadline = DateTime.UtcNow.AddMinutes(1);
        while (sandbox.State.Deliveries("omnichat").Count < warmup && DateTime.UtcNow < warmDeadline) await Task.Delay(100);

        var threadsBefore = Threads(app.Pid);
        var threadsPeak = threadsBefore;
        var health = new List<double>();
        var slowHealth = new List<string>();
        var wall = Stopwatch.StartNew();
        var healthFailures = 0;
        using var done = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            using var probe = new HttpClient { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            while (!done.IsCancellationRequested)
            {
                threadsPeak = Math.Max(threadsPeak, Threads(app.Pid));
                var sw = Stopwatch.StartNew();
                try
                {
                    var r = await probe.GetAsync("api/health");
                    if (r.StatusCode != HttpStatusCode.OK) healthFailures++;
                }
                catch (HttpRequestException) { healthFailures++; }
                lock (health)
                {
                    health.Add(sw.Elapsed.TotalMilliseconds);
                    if (sw.Elapsed.TotalMilliseconds > 100) slowHealth.Add($"{sw.Elapsed.TotalMilliseconds:0} ms at +{wall.Elapsed.TotalSeconds - sw.Elapsed.TotalSeconds:0.0} s");
                }
                try { await Task.Delay(100, done.Token); } catch (OperationCanceledException) { }
            }
        });

        var accept = new List<double>();
        var read = new List<double>();
        var uploadTimes = new List<double>();
        var refused = 0;
        var next = -1;
        wall.Restart();
        var senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var sw = Stopwatch.StartNew();
                var response = await app.Client.PostAsJsonAsync("api/messages", new { provider = "omnichat", to = $"+62813{i:D7}", text = "load" });
                var ms = sw.Elapsed.TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Accepted) { Interlocked.Increment(ref refused); continue; }
                lock (accept) accept.Add(ms);
                var location = response.Headers.Location;
                if (location is null) continue;
                sw.Restart();
                await app.Client.GetAsync(location);
                lock (read) read.Add(sw.Elapsed.TotalMilliseconds);
            }
        })).ToList();
        var csv = Csv(uploadRows);
        var uploaders = Enumerable.Range(0, uploads).Select(u => Task.Run(async () =>
        {
            var sw = Stopwatch.StartNew();
            var response = await UploadAsync(app.Client, csv, $"load-{u}.csv");
            if (response.StatusCode != HttpStatusCode.Created) Interlocked.Increment(ref refused);
            else lock (uploadTimes) uploadTimes.Add(sw.Elapsed.TotalMilliseconds);
        })).ToList();
        await Task.WhenAll(senders.Concat(uploaders));
        var acceptSeconds = wall.Elapsed.TotalSeconds;

        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (sandbox.State.Deliveries("omnichat").Count < warmup + requests - refused && DateTime.UtcNow < deadline) await Task.Delay(100);
        var deliverSeconds = wall.Elapsed.TotalSeconds;
        await done.CancelAsync();
        await watcher;

        var deliveries = sandbox.State.Deliveries("omnichat").Where(d => !d.Key.TrimStart('+').StartsWith("62815", StringComparison.Ordinal)).ToDictionary();
        Console.WriteLine($"accepted {accept.Count}/{requests} in {acceptSeconds:0.0} s ({accept.Count / acceptSeconds:0}/s), refused or failed {refused}");
        Console.WriteLine($"accept latency ms: {Percentiles(accept)}");
        Console.WriteLine($"GET after accept ms: {Percentiles(read)}");
        if (uploads > 0) Console.WriteLine($"upload ({uploadRows} rows) ms: {Percentiles(uploadTimes)} ({uploadTimes.Count}/{uploads} created)");
        Console.WriteLine($"health ms (every 100 ms, {health.Count} probes): {Percentiles(health)}, not 200: {healthFailures}");
        if (slowHealth.Count > 0) Console.WriteLine($"health over 100 ms: {string.Join(", ", slowHealth)} (from the first POST)");
        Console.WriteLine($"app threads: {threadsBefore} before, {threadsPeak} at peak");
        Console.WriteLine($"vendor: {deliveries.Count} numbers reached, {deliveries.Values.Count(n => n > 1)} more than once, " +
                          $"all within {deliverSeconds:0.0} s");
        return deliveries.Count == requests && deliveries.Values.All(n => n == 1) && refused == 0 ? 0 : 1;
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] csv, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(new StringContent("omnichat"), "provider");
        form.Add(file, "file", name);
        return await client.PostAsync("api/uploads", form);
    }

    private static byte[] Csv(int rows)
    {
        var text = new StringBuilder("phone,name\n");
        for (var i = 0; i < rows; i++) text.Append("+62814").Append(i.ToString("D7")).Append(",Budi\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Percentiles(List<double> values)
    {
        if (values.Count == 0) return "none";
        var sorted = values.Order().ToArray();
        double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return $"p50 {At(0.50):0.0}, p90 {At(0.90):0.0}, p99 {At(0.99):0.0}, max {sorted[^1]:0.0}";
    }

    private static int Threads(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("Threads:", StringComparison.Ordinal)) return int.Parse(line.AsSpan(8).Trim());
        }
        catch (IOException) { }
        return 0;
    }

}
