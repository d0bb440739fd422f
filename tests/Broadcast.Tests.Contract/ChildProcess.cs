using System.Diagnostics;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract;

/// <summary>The tools the contract tests drive (the Bicep CLI, node, the pinned dotnet tools, a generated client's
/// program) as child processes, each with a deadline after which it is killed.</summary>
internal static class ChildProcess
{
    public sealed record Exit(int Code, string Output, string Error);

    /// <summary>The pinned local tools (.config/dotnet-tools.json), restored from the package feed: a fresh clone
    /// needs no step by hand.</summary>
    public static Task<string> RestoreDotnetToolsAsync() => RunAsync("dotnet", RepoPaths.Root, ["tool", "restore"], TimeSpan.FromMinutes(5));

    /// <summary>The standard output of a run that exited 0; otherwise a failed assertion with both outputs.</summary>
    public static async Task<string> RunAsync(string file, string directory, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var arguments = args.ToList();
        var exit = await StartAsync(file, directory, arguments, timeout, environment);
        Assert.True(exit.Code == 0, $"{file} {string.Join(' ', arguments)} exited {exit.Code}:\n{exit.Output}\n{exit.Error}");
        return exit.Output;
    }

    public static async Task<Exit> StartAsync(string file, string directory, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }
        return new Exit(process.ExitCode, await output, await error);
    }
}
