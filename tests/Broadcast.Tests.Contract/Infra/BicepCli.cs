using System.Reflection;

namespace Broadcast.Tests.Contract.Infra;

/// <summary>The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (a PackageDownload of the contract test
/// project; its path is baked into the test assembly at build time).</summary>
public static class BicepCli
{
    // A cold start of the single-file CLI takes about 7 s on this 2-core machine under load; two minutes means hung.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static string Path { get; } = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepCli").Value!;

    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>The CLI's diagnostics ("file(line,col) : Warning rule: ..."), on stderr whatever the exit code.</summary>
        public IReadOnlyList<string> Diagnostics => Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains(" : Warning ") || l.Contains(" : Error ") || l.Contains(" : Info ")).ToList();
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        Assert.True(File.Exists(Path), $"The Bicep CLI is not at {Path}: restore tests/Broadcast.Tests.Contract (PackageDownload Azure.Bicep.CommandLine.linux-x64).");
        // NuGet does not promise to keep the executable bit when it extracts a package.
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(Path) is var mode && !mode.HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(Path, mode | UnixFileMode.UserExecute);

        var exit = await ChildProcess.StartAsync(Path, Directory.GetCurrentDirectory(), args, Deadline);
        return new Result(exit.Code, exit.Output + exit.Error);
    }
}
