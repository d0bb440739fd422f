using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Hardening;

public sealed class RunScriptTests
{
    [Fact]
    public async Task The_run_command_names_a_taken_port_and_what_holds_it_and_starts_nothing()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var appPort = Ports.Free();

        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "run.sh"));
        psi.Environment["SANDBOX_URL"] = $"http://127.0.0.1:{taken}";
        psi.Environment["APP_PORT"] = appPort.ToString();
        using var run = Process.Start(psi)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await run.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            run.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"run.sh did not stop on a taken port: {await stdout} {await stderr}");
        }

        var message = await stderr;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"port {taken}", message);
        Assert.Contains("vendor sandbox", message);
        Assert.Contains("Nothing was started", message);
        if (File.Exists("/usr/bin/ss") || File.Exists("/bin/ss") || File.Exists("/usr/bin/lsof"))
            Assert.Contains($"pid {Environment.ProcessId}", message);
        Assert.DoesNotContain("Sandbox:", await stdout); // it never got as far as starting the app
        await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, appPort);
        });
    }
}
