using Broadcast.Tests.Infrastructure;

namespace Broadcast.Benchmarks;

/// <summary>Installs the npm tools (Azurite) from the committed lock file by running scripts/node-tools.sh, as
/// scripts/run.sh and scripts/test.sh do: a no-op once they are installed, so a fresh clone needs no manual <c>npm ci</c>.</summary>
public static class NodeTools
{
    public static async Task InstallAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "scripts", "node-tools.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { WorkingDirectory = RepoPaths.Root })
            ?? throw new InvalidOperationException("could not start bash to run scripts/node-tools.sh");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/node-tools.sh (npm ci) failed with exit code {process.ExitCode}: see its output above.");
    }
}
