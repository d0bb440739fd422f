using System.Diagnostics;
namespace Broadcast.Tests.Infrastructure;

/// <summary>A real Azurite (from the repo's node_modules) on free loopback ports, in memory, for the whole test run.</summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Azurite? _shared;

    private readonly Process _process;

    private Azurite(Process process, int blob, int queue, int table)
    {
        _process = process;
        BlobPort = blob;
        QueuePort = queue;
        TablePort = table;
    }

    /// <summary>Set when this Azurite runs in OAuth mode: HTTPS with a certificate of the test's own, bearer tokens.</summary>
    public AzuriteOAuth? OAuth { get; private set; }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>A full connection string with explicit endpoints (what the product must accept besides UseDevelopmentStorage).</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>One Azurite shared by every test in the run; each test app isolates itself with a storage name prefix.</summary>
    public static async Task<Azurite> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _shared ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private string? _ownedDirectory;

    /// <summary>Starts one storing on disk in a temporary folder, removed on dispose (benchmarks: closer to a real account).</summary>
    public static async Task<Azurite> StartOnDiskAsync()
    {
        var directory = Directory.CreateTempSubdirectory("azurite-").FullName;
        var azurite = await StartAsync(directory);
        azurite._ownedDirectory = directory;
        return azurite;
    }

    /// <summary>Starts one in OAuth mode (<c>--oauth basic</c> over HTTPS): it accepts bearer tokens, so the product's
    /// identity code path (a <c>TokenCredential</c> and service URIs) runs for real.</summary>
    public static async Task<Azurite> StartWithOAuthAsync()
    {
        var oauth = AzuriteOAuth.Create();
        var azurite = await StartAsync(null, oauth);
        azurite.OAuth = oauth;
        return azurite;
    }

    /// <summary>Starts one; in memory, or on disk under <paramref name="location"/>.</summary>
    public static async Task<Azurite> StartAsync(string? location = null, AzuriteOAuth? oauth = null)
    {
        var bin = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(bin))
            throw new InvalidOperationException($"Azurite is not installed at {bin}: run 'npm ci' in the repository root (the test command does).");
        int blob = Ports.Free(), queue = Ports.Free(), table = Ports.Free();
        var psi = new ProcessStartInfo(bin)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
                 })
            psi.ArgumentList.Add(a);
        if (oauth is not null)
            foreach (var a in new[] { "--oauth", "basic", "--cert", oauth.CertificatePath, "--key", oauth.KeyPath })
                psi.ArgumentList.Add(a);
        if (location is null) psi.ArgumentList.Add("--inMemoryPersistence");
        else
        {
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(location);
        }
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blob, queue, table);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Kill();
        await Ports.WaitOpenAsync(blob, TimeSpan.FromSeconds(30));
        await Ports.WaitOpenAsync(queue, TimeSpan.FromSeconds(30));
        await Ports.WaitOpenAsync(table, TimeSpan.FromSeconds(30));
        return azurite;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigStop = 19, SigCont = 18; // Linux

    /// <summary>kill -STOP: the ports stay open and every call hangs, as with a storage account that stops answering.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>kill -CONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal(SigCont);

    private void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    /// <summary>Stops this Azurite for good (in-memory data is gone): storage refusing connections.</summary>
    public void Stop()
    {
        Kill();
        _process.WaitForExit(5000);
    }

    private void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        OAuth?.Dispose();
        if (_ownedDirectory is not null)
            try { Directory.Delete(_ownedDirectory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
