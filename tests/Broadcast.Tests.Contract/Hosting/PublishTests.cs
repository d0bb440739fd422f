using Broadcast.Functions.Hosting;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Nodes;
using Broadcast.Functions;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.Hosting;

[CollectionDefinition(nameof(PublishTests), DisableParallelization = true)]
public sealed class PublishCollection;

/// <summary>The publish command (scripts/publish.sh) builds the folder the Functions host runs: host.json at its
/// root, a folder with a function.json per function, the linux-x64 executable host.json names; and its zip. The
/// folder's executable is then started the way the host starts a custom handler and answers like one.</summary>
[Collection(nameof(PublishTests))]
[UnsupportedOSPlatform("windows")] // a bash script publishing a Linux function app
public sealed class PublishTests
{
    [Fact]
    public async Task The_publish_command_builds_a_function_app_folder_and_zip_whose_executable_runs_as_a_custom_handler()
    {
        var output = Directory.CreateTempSubdirectory("publish-").FullName;
        var prefix = TestApp.NewPrefix();
        try
        {
            await RunPublishAsync(output, prefix);
            var app = Path.Combine(output, "functionapp");

            Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")), File.ReadAllText(Path.Combine(app, "host.json")));
            Assert.False(File.Exists(Path.Combine(app, "local.settings.json")));
            var executable = Path.Combine(app, "Broadcast.Functions");
            Assert.True(File.Exists(executable));
            Assert.True(File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute), "the executable is not executable");

            await using var built = BroadcastApp.Build([], new Dictionary<string, string?> { ["Storage:NamePrefix"] = prefix });
            var functions = FunctionManifest.For(built);
            Assert.Empty(FunctionManifestCheck.Differences(app, functions));
            Assert.Equal($"{prefix}-broadcast-drops/{{name}}", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(app, FunctionsHost.DropFunction, "function.json")))!["bindings"]![0]!["path"]);

            using (var zip = ZipFile.OpenRead(Path.Combine(output, "functionapp.zip")))
            {
                var entries = zip.Entries.ToDictionary(e => e.FullName);
                Assert.Contains("host.json", entries.Keys);
                Assert.All(functions, f => Assert.Contains($"{f.Name}/function.json", entries.Keys));
                var unixMode = (UnixFileMode)((entries["Broadcast.Functions"].ExternalAttributes >> 16) & 0x1FF);
                Assert.True(unixMode.HasFlag(UnixFileMode.UserExecute), "the zip lost the executable bit");
            }

            await RunAsCustomHandlerAsync(app, prefix);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task RunPublishAsync(string output, string prefix)
    {
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "publish.sh"));
        psi.ArgumentList.Add(output);
        // Kept between runs (artifacts/ is ignored by git) so that repeated test runs build incrementally.
        psi.Environment["PUBLISH_BUILD_DIR"] = Path.Combine(RepoPaths.Root, "artifacts", "publish-test-build");
        psi.Environment["Storage__NamePrefix"] = prefix;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"publish.sh failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    /// <summary>As the host does: the executable started in the function app folder with FUNCTIONS_CUSTOMHANDLER_PORT
    /// and the app settings as environment, ready once it answers any HTTP request.</summary>
    private static async Task RunAsCustomHandlerAsync(string app, string prefix)
    {
        var azurite = await Azurite.SharedAsync();
        var port = Ports.Free();
        var psi = new ProcessStartInfo(Path.Combine(app, "Broadcast.Functions"))
        {
            WorkingDirectory = app, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment[FunctionsHost.PortSetting] = port.ToString();
        psi.Environment["FUNCTIONS_WORKER_RUNTIME"] = "custom";
        psi.Environment["AzureWebJobsStorage"] = azurite.ConnectionString;
        psi.Environment["Storage__NamePrefix"] = prefix;
        psi.Environment["Api__Keys"] = TestApp.ApiKey;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await Poll.UntilAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"the custom handler exited with {process.ExitCode}");
                try { return (await client.GetAsync("")).StatusCode; }
                catch (HttpRequestException) { return (HttpStatusCode?)null; }
            }, s => s is not null, TimeSpan.FromSeconds(60), "the custom handler to answer the host's ping");

            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/dashboard/app.js")).StatusCode); // embedded in the executable
            // The queue functions of the old engine are gone: the host has nothing to invoke there.
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("BroadcastStart", new StringContent("{}"))).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
