using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Broadcast.Core.Workflow;
using Broadcast.Functions;
using Broadcast.Functions.Hosting;
using Broadcast.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Broadcast.Tests.Contract.Hosting;

[CollectionDefinition(nameof(PublishTests), DisableParallelization = true)]
public sealed class PublishCollection;

/// <summary>The publish folder (scripts/publish.sh) is what `func start` and a zip deploy run: the isolated worker's
/// functions.metadata must have an HTTP function for every route the standalone form serves, a function for every
/// orchestrator and activity the standalone engine registers and the blob trigger on the drops container; the host's
/// extensions, the worker's config and host.json beside it. The same executable, started by anyone but the host,
/// serves the routes itself; launched as the host launches a worker, it calls the host back over gRPC.</summary>
[Collection(nameof(PublishTests))]
public sealed class PublishTests(PublishTests.Published published) : IClassFixture<PublishTests.Published>
{
    private readonly string _output = published.Output;
    private string App => Path.Combine(_output, "functionapp");

    /// <summary>One publish for all the tests here.</summary>
    public sealed class Published : IAsyncLifetime
    {
        public string Output { get; } = Directory.CreateTempSubdirectory("publish-").FullName;

        public Task InitializeAsync() => RunPublishAsync(Output);

        public Task DisposeAsync()
        {
            Directory.Delete(Output, recursive: true);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Every_route_of_the_standalone_form_is_an_http_function_with_the_same_methods_and_route()
    {
        // The local telemetry view on: its routes are functions too (answering 404 while it is off).
        await using var standalone = BroadcastApp.Build([], new Dictionary<string, string?> { ["Telemetry:LocalView"] = "true" });
        var routes = HttpFunctionRoutes.From(new CompositeEndpointDataSource(((IEndpointRouteBuilder)standalone).DataSources));
        Assert.Contains(routes, r => r.Route == "broadcasts/{id}/recipients.csv");

        var http = Metadata().Where(f => Trigger(f)["type"]!.GetValue<string>() == "httpTrigger")
            .ToDictionary(f => f["name"]!.GetValue<string>(), Trigger);
        foreach (var route in routes)
        {
            Assert.True(http.TryGetValue(route.Name, out var trigger), $"no HTTP function {route.Name} for /api/{route.Route}");
            Assert.Equal(route.Route, trigger!["route"]!.GetValue<string>());
            Assert.Equal(route.Methods!.Order(), trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()).Order());
            Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>()); // the app checks its own keys
        }
        Assert.Equal(routes.Select(r => r.Name).Order(), http.Keys.Order()); // and no function without a route
        Assert.All(Metadata().Where(f => http.ContainsKey(f["name"]!.GetValue<string>())),
            f => Assert.Contains(f["bindings"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "http" && b["direction"]!.GetValue<string>() == "Out"));
    }

    [Fact]
    public void Every_orchestrator_and_activity_the_standalone_engine_registers_is_a_function_of_its_kind()
    {
        var byName = Metadata().ToDictionary(f => f["name"]!.GetValue<string>(), f => Trigger(f)["type"]!.GetValue<string>());
        Assert.All(BroadcastTasks.Orchestrators, t => Assert.Equal("orchestrationTrigger", byName.GetValueOrDefault(t.Name)));
        Assert.All(BroadcastTasks.Activities, t => Assert.Equal("activityTrigger", byName.GetValueOrDefault(t.Name)));
        Assert.Equal(BroadcastTasks.Orchestrators.Count + BroadcastTasks.Activities.Count,
            byName.Values.Count(t => t is "orchestrationTrigger" or "activityTrigger"));
    }

    [Fact]
    public void The_drops_container_is_a_blob_trigger_on_the_apps_storage_connection_and_container_setting()
    {
        var drop = Assert.Single(Metadata(), f => f["name"]!.GetValue<string>() == FunctionsHost.DropFunction);
        var trigger = Trigger(drop);
        Assert.Equal("blobTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("%Drops:Container%/{name}", trigger["path"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", trigger["connection"]!.GetValue<string>());
        // Bound as a client, never as content: a large CSV does not travel through the invocation.
        Assert.Equal("True", trigger["properties"]!["supportsDeferredBinding"]!.GetValue<string>());

        // The settings the binding names are the ones the app reads, in the sample and the deployment alike.
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")))!["Values"]!.AsObject();
        Assert.Equal("broadcast-drops", sample["Drops__Container"]!.GetValue<string>());
        Assert.Equal("UseDevelopmentStorage=true", sample["AzureWebJobsStorage"]!.GetValue<string>());
        var bicep = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.bicep"));
        Assert.Contains("{ name: 'Drops__Container', value: dropsContainer }", bicep);
        Assert.Contains("{ name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }", bicep);
    }

    [Fact]
    public void The_folder_carries_the_hosts_extensions_the_worker_config_and_host_json_and_the_zip_the_same()
    {
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(App, "extensions.json")))!["extensions"]!.AsArray()
            .Select(e => e!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("DurableTask", extensions);
        Assert.Contains("AzureStorageBlobs", extensions);
        Assert.True(File.Exists(Path.Combine(App, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll")));

        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(App, "worker.config.json")))!["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.Equal("Broadcast.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());

        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")), File.ReadAllText(Path.Combine(App, "host.json")));
        Assert.False(File.Exists(Path.Combine(App, "local.settings.json")));

        using var zip = ZipFile.OpenRead(Path.Combine(_output, "functionapp.zip"));
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Superset(new HashSet<string> { "host.json", "functions.metadata", "extensions.json", "worker.config.json", "Broadcast.Functions.dll" }, entries);
    }

    [Fact]
    public async Task Started_by_anyone_but_the_host_the_published_app_serves_its_routes_itself()
    {
        var azurite = await Azurite.SharedAsync();
        var port = Ports.Free();
        using var process = Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage__NamePrefix"] = TestApp.NewPrefix(),
            ["Api__Keys"] = TestApp.ApiKey,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var health = await Poll.UntilAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"the app exited with {process.ExitCode}");
                try { return (HttpStatusCode?)(await client.GetAsync("api/health")).StatusCode; }
                catch (HttpRequestException) { return null; }
            }, s => s is not null, TimeSpan.FromSeconds(60), "the published app to answer");
            Assert.Equal(HttpStatusCode.OK, health);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/dashboard/app.js")).StatusCode); // embedded in the executable
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/broadcasts")).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Launched_as_the_host_launches_a_worker_it_becomes_the_isolated_worker_and_calls_the_host_back()
    {
        // The host starts a worker with its gRPC endpoint on the command line; the worker opens an HTTP/2 stream to it.
        using var host = new TcpListener(IPAddress.Loopback, 0);
        host.Start();
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)host.LocalEndpoint).Port}/";
        var azurite = await Azurite.SharedAsync();
        using var process = Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["Drops__Container"] = "broadcast-drops",
        }, "--functions-uri", endpoint, "--functions-worker-id", "w1", "--functions-request-id", "r1", "--functions-grpc-max-message-length", "2147483647");
        try
        {
            using var accepting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var connection = await host.AcceptTcpClientAsync(accepting.Token);
            var preface = new byte["PRI * HTTP/2.0".Length];
            await connection.GetStream().ReadExactlyAsync(preface, accepting.Token);
            Assert.Equal("PRI * HTTP/2.0", Encoding.ASCII.GetString(preface));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private Process Start(Dictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = App, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(App, "Broadcast.Functions.dll"));
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private IReadOnlyList<JsonObject> Metadata() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(App, "functions.metadata")))!.AsArray().Select(f => f!.AsObject()).ToList();

    private static JsonObject Trigger(JsonObject function) =>
        function["bindings"]!.AsArray().Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    private static async Task RunPublishAsync(string output)
    {
        var psi = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "publish.sh"));
        psi.ArgumentList.Add(output);
        // Kept between runs (artifacts/ is ignored by git) so that repeated test runs build incrementally.
        psi.Environment["PUBLISH_BUILD_DIR"] = Path.Combine(RepoPaths.Root, "artifacts", "publish-test-build");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"publish.sh failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
