using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Broadcast.Tests.Infrastructure;

/// <summary>The app as a real OS process (what a crash test kills with SIGKILL), on a free loopback port.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("x-functions-key", TestApp.ApiKey);
    }

    public Uri BaseUrl { get; }
    public HttpClient Client { get; }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    /// <summary>The app's console output (its own log lines at the configured level), for failure messages.</summary>
    public string LogText => string.Join('\n', _log);

    private void Log(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        // Keep the last few thousand lines: enough for a failure message, bounded for a long run.
        while (_log.Count > 5000) _log.TryDequeue(out _);
    }

    /// <summary>The process's OS thread count (Linux /proc): a thread pool starved by blocking I/O grows it.</summary>
    public int ThreadCount()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("Threads:", StringComparison.Ordinal)) return int.Parse(line.AsSpan(8).Trim());
        throw new InvalidOperationException("no Threads line in /proc/<pid>/status");
    }

    public static string AppDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return Path.Combine(RepoPaths.Root, "src", "Broadcast.Functions", "bin", configuration, "net10.0", "Broadcast.Functions.dll");
        }
    }

    /// <summary>Starts the app as instance <paramref name="worker"/> of the app on <paramref name="prefix"/>: a restart
    /// under the same name is the same instance coming back; instances running side by side need different names.</summary>
    public static async Task<AppProcess> StartAsync(string prefix, Uri sandbox, IDictionary<string, string>? settings = null, string worker = "a")
    {
        var azurite = await Azurite.SharedAsync();
        var port = Ports.Free();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(AppDll);
        var url = sandbox.ToString().TrimEnd('/');
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage__NamePrefix"] = prefix,
            ["Workflow__WorkerId"] = $"{prefix}-{worker}",
            ["Api__Keys"] = TestApp.ApiKey,
            ["Logging__LogLevel__Default"] = "Warning",
            // See TestApp: a loaded shared Azurite must not read as an outage.
            ["Storage__RequestTimeout"] = "00:00:15",
            // A killed process's activities come back after their work item's visibility: 10 s keeps the tests short.
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:10",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:00:10",
            ["Messaging__RetryBaseDelay"] = "00:00:00.050",
            ["Messaging__RetryMaxDelay"] = "00:00:00.500",
            ["Vendors__Qiscus__BaseUrl"] = url,
            ["Vendors__Qiscus__AppId"] = "sandbox-qiscus-app",
            ["Vendors__Qiscus__SecretKey"] = "sandbox-qiscus-secret",
            ["Vendors__Qiscus__ChannelId"] = "534",
            ["Vendors__Khoros__BaseUrl"] = url,
            ["Vendors__Khoros__ApiKey"] = "sandbox-khoros-key",
            ["Vendors__Khoros__ExternalId"] = "+10987654321",
            ["Vendors__Omnichat__BaseUrl"] = url,
            ["Vendors__Omnichat__ApiKey"] = "sandbox-omnichat-key",
            ["Vendors__Omnichat__DeviceKey"] = "bc8bae5a-0997-40a2-a827-b95adc714dd3",
        };
        if (settings is not null) foreach (var (k, v) in settings) env[k] = v;
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => app.Log(e.Data);
        process.ErrorDataReceived += (_, e) => app.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Poll.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with code {process.ExitCode}.");
            try { return (await app.Client.GetAsync("api/health")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, ok => ok, TimeSpan.FromSeconds(60), "the app process to answer /api/health");
        return app;
    }

    /// <summary>SIGKILL: no shutdown, no flush, exactly what a crash does.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await (await Client.GetAsync(path)).JsonAsync();

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    public ValueTask DisposeAsync()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
