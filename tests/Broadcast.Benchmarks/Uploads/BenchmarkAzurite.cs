using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Broadcast.Benchmarks.Uploads;

/// <summary>A real Azurite from the repo's node_modules, on free loopback ports, storing in a temporary directory
/// (as tests/Broadcast.Tests/Infrastructure/Azurite.cs, but on disk: closer to a real account than in memory).</summary>
internal sealed class BenchmarkAzurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly string _directory;

    private BenchmarkAzurite(Process process, string directory, int blob, int queue, int table)
    {
        _process = process;
        _directory = directory;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Functions.sln not found above the benchmark binaries.");
    }

    public static async Task<BenchmarkAzurite> StartAsync()
    {
        var bin = Path.Combine(RepoRoot(), "node_modules", ".bin", "azurite");
        if (!File.Exists(bin)) throw new InvalidOperationException($"Azurite is not installed at {bin}: run 'npm ci' in the repository root.");
        var directory = Directory.CreateTempSubdirectory("bench-azurite-").FullName;
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--location", directory, "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
                 })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new BenchmarkAzurite(process, directory, blob, queue, table);
        foreach (var port in new[] { blob, queue, table }) await WaitOpenAsync(port, TimeSpan.FromSeconds(30));
        return azurite;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitOpenAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
