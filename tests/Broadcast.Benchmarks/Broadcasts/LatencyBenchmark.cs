using System.Net;

namespace Broadcast.Benchmarks.Broadcasts;

/// <summary>
/// How long one message takes: N single messages (POST /api/messages), one at a time, to a zero-latency sandbox.
/// Prints p50/p90/p99 of (1) POST to the vendor receiving the message, (2) the accept-only answer (the 202),
/// (3) the <c>?wait=</c> round trip (POST to the final answer), and the storage operations per message.
/// </summary>
public static class LatencyBenchmark
{
    /// <param name="NoFastPath">Every message through the queues (<c>Workflow:FastPath=false</c>).</param>
    public sealed record Settings(int Messages, int Warmup, bool NoFastPath);

    public static async Task<int> RunAsync(Settings settings)
    {
        var (n, warmup, noFastPath) = settings;

        await using var azurite = await Azurite.StartOnDiskAsync();
        await using var sandbox = await SandboxApp.StartAsync();
        sandbox.State.Configure("omnichat", new VendorBehavior { LatencyMs = 0 });
        var appSettings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Api:Keys"] = "bench",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Vendors:Omnichat:BaseUrl"] = sandbox.BaseUrl.ToString().TrimEnd('/'),
            ["Vendors:Omnichat:ApiKey"] = "sandbox-omnichat-key",
            ["Vendors:Omnichat:DeviceKey"] = "bench-device",
            ["Workflow:FastPath"] = noFastPath ? "false" : "true",
        };
        await using var app = BroadcastApp.Build([], appSettings);
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
        client.DefaultRequestHeaders.Add("x-functions-key", "bench");
        Console.WriteLine($"messages={n} (after {warmup} warm-up) vendor latency 0 ms, one at a time, omnichat text, fast path {(noFastPath ? "off" : "on")}");

        var next = 0;
        string Phone() => $"62813{Interlocked.Increment(ref next):D8}";
        await MeasureSendsAsync(client, sandbox, warmup, Phone, null);

        using var operations = new StorageOperations(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        var before = operations.Count;
        var (toVendor, accepted) = await MeasureSendsAsync(client, sandbox, n, Phone, operations);
        var perMessage = (operations.Count - before) / (double)n;

        var roundTrips = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync("api/messages?wait=10", new { provider = "omnichat", to = Phone(), text = "Your code is 123456" });
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"?wait answered {(int)response.StatusCode}");
            roundTrips.Add(clock.Elapsed.TotalMilliseconds);
        }

        Print("POST -> vendor receives it", toVendor);
        Print("accept-only answer (202)", accepted);
        Print("?wait=10 round trip (200)", roundTrips);
        Console.WriteLine($"storage operations: {perMessage:0.0} per message (sent and answered, background work included)");
        await app.StopAsync();
        return 0;
    }

    /// <summary>Sends <paramref name="count"/> messages one after another, each once the vendor got the one before.</summary>
    private static async Task<(List<double> ToVendor, List<double> Accepted)> MeasureSendsAsync(HttpClient client, RunningSandbox sandbox,
        int count, Func<string> phone, StorageOperations? operations)
    {
        var toVendor = new List<double>(count);
        var accepted = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var to = phone();
            var seen = sandbox.State.Requests("omnichat").Count;
            var clock = Stopwatch.StartNew();
            var postedAt = DateTimeOffset.UtcNow;
            using var response = await client.PostAsJsonAsync("api/messages", new { provider = "omnichat", to, text = "Your code is 123456" });
            await response.Content.ReadAsByteArrayAsync();
            accepted.Add(clock.Elapsed.TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"POST answered {(int)response.StatusCode}");
            while (sandbox.State.Requests("omnichat").Count == seen)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"message {i} never reached the vendor");
                await Task.Delay(1);
            }
            var received = sandbox.State.Requests("omnichat")[^1].ReceivedAt;
            toVendor.Add((received - postedAt).TotalMilliseconds);
            // Let the message finish (fan-in) before the next one, so that each is measured alone.
            await Task.Delay(20);
        }
        return (toVendor, accepted);
    }

    private static void Print(string what, List<double> samples)
    {
        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        Console.WriteLine($"{what,-30} p50 {P(0.50),7:0.0} ms   p90 {P(0.90),7:0.0} ms   p99 {P(0.99),7:0.0} ms   max {samples[^1],7:0.0} ms");
    }

}
