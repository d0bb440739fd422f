using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Broadcast.Core.Recipients;
using Broadcast.Core.Uploads;
using Microsoft.AspNetCore.Builder;

namespace Broadcast.Benchmarks.Uploads;

/// <summary><c>uploads [--rows N]</c>: generates a Qiscus-layout CSV of N rows (2 body variables, one row in a
/// thousand a duplicate and one invalid), POSTs it over real HTTP to the app running in this process against a real
/// Azurite, and prints the elapsed time and the peak memory of the process while the upload ran.</summary>
public static class UploadBenchmark
{
    private const string ApiKey = "benchmark-key";
    private static readonly NumberFormatInfo Rupiah = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = "," };

    public static async Task<int> RunAsync(int rows)
    {
        var csvPath = Path.Combine(Path.GetTempPath(), $"upload-benchmark-{rows}.csv");
        var (bytes, expectedValid) = await WriteCsvAsync(csvPath, rows);
        try
        {
            await using var azurite = await Azurite.StartOnDiskAsync();
            var app = BroadcastApp.Build([], new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Storage:NamePrefix"] = "bench",
                ["Api:Keys"] = ApiKey,
                ["urls"] = "http://127.0.0.1:0",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Uploads:MaxRows"] = Math.Max(rows, 1_000_000).ToString(CultureInfo.InvariantCulture),
            });
            await app.StartAsync();
            try
            {
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                using var client = new HttpClient { BaseAddress = new Uri(address + "/"), Timeout = TimeSpan.FromMinutes(10) };
                client.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
                return await MeasureAsync(app, client, csvPath, rows, bytes, expectedValid);
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            File.Delete(csvPath);
        }
    }

    private static async Task<int> MeasureAsync(WebApplication app, HttpClient client, string csvPath, int rows, long bytes, long expectedValid)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetGCMemoryInfo().HeapSizeBytes;
        using var sampler = new PeakMemorySampler(TimeSpan.FromMilliseconds(10));

        var watch = Stopwatch.StartNew();
        await using var file = File.OpenRead(csvPath);
        using var form = new MultipartFormDataContent();
        var content = new StreamContent(file, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(new StringContent("qiscus"), "provider");
        form.Add(new StringContent("2"), "template");
        form.Add(content, "file", Path.GetFileName(csvPath));
        using var response = await client.PostAsync("api/uploads", form);
        var body = await response.Content.ReadAsStringAsync();
        watch.Stop();
        var peak = sampler.Stop();

        if ((int)response.StatusCode != 201)
        {
            Console.Error.WriteLine($"upload failed: {(int)response.StatusCode} {body}");
            return 1;
        }
        var summary = JsonDocument.Parse(body).RootElement;
        var id = summary.GetProperty("upload_id").GetString()!;
        var stored = await app.Services.GetRequiredService<IUploadCatalog>().GetAsync(id, CancellationToken.None);
        var index = await app.Services.GetRequiredService<RecipientSetReader>().GetIndexAsync(stored!.Recipients, CancellationToken.None);
        var valid = summary.GetProperty("valid_recipients").GetInt64();

        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine("uploads benchmark: POST /api/uploads, Qiscus layout with 2 body variables, real HTTP, real Azurite (on disk)");
        Console.WriteLine($"  machine            {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine($"  rows               {rows:N0} ({valid:N0} valid, {summary.GetProperty("invalid_rows").GetInt64():N0} invalid, {summary.GetProperty("duplicates_removed").GetInt64():N0} duplicates)");
        Console.WriteLine($"  bytes              {bytes:N0} ({bytes / 1048576.0:F1} MB)");
        Console.WriteLine($"  elapsed            {seconds:F2} s");
        Console.WriteLine($"  rows/s             {rows / seconds:N0}");
        Console.WriteLine($"  peak managed       {peak.Managed / 1048576.0:F1} MB (GC.GetTotalMemory; heap {baseline / 1048576.0:F1} MB before the upload)");
        Console.WriteLine($"  peak GC committed  {peak.Committed / 1048576.0:F1} MB (GCMemoryInfo.TotalCommittedBytes: all memory the GC held)");
        Console.WriteLine($"  peak working set   {peak.WorkingSet / 1048576.0:F1} MB (whole process: app, client and runtime)");
        Console.WriteLine($"  stored recipients  {index.Count:N0} in {index.PageCount:N0} pages");

        var ok = valid == expectedValid && index.Count == expectedValid;
        if (!ok) Console.Error.WriteLine($"expected {expectedValid:N0} valid recipients stored");
        return ok ? 0 : 1;
    }

    private static async Task<(long Bytes, long Valid)> WriteCsvAsync(string path, int rows)
    {
        long valid = 0;
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            await writer.WriteAsync("phone_number,customer_name,body_variable1,body_variable2\n");
            for (var i = 1; i <= rows; i++)
            {
                var phone = i % 1000 == 500 ? "62812" + (i - 1).ToString("D8", CultureInfo.InvariantCulture) // a duplicate of the row before
                    : i % 1000 == 999 ? "08x"                                                                  // not a number
                    : "62812" + i.ToString("D8", CultureInfo.InvariantCulture);
                if (i % 1000 is not (500 or 999)) valid++;
                var amount = (i % 10_000 * 1000).ToString("N0", Rupiah);
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{phone},\"Customer {i}, Jakarta\",Rp. {amount},{1 + i % 28} Maret 2026\n"));
            }
        }
        return (new FileInfo(path).Length, valid);
    }

    /// <summary>Samples the process on a timer and keeps the highest values seen.</summary>
    private sealed class PeakMemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private readonly Lock _lock = new();
        private (long Managed, long Committed, long WorkingSet) _peak;

        public PeakMemorySampler(TimeSpan interval)
        {
            Sample();
            _timer = new Timer(_ => Sample(), null, interval, interval);
        }

        private void Sample()
        {
            var managed = GC.GetTotalMemory(false);
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            var workingSet = Environment.WorkingSet;
            lock (_lock)
                _peak = (Math.Max(_peak.Managed, managed), Math.Max(_peak.Committed, committed), Math.Max(_peak.WorkingSet, workingSet));
        }

        public (long Managed, long Committed, long WorkingSet) Stop()
        {
            _timer.Dispose();
            Sample();
            lock (_lock) return _peak;
        }

        public void Dispose() => _timer.Dispose();
    }
}
