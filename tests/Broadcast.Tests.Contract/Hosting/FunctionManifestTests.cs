using Broadcast.Functions.Hosting;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Broadcast.Core.Storage;
using Broadcast.Functions;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Contract.Hosting;

/// <summary>The function.json files against the app itself: an HTTP function for every route and method the app
/// maps under /api and no other, exactly the invocation routes it answers under the host, and the queue and
/// container names it really uses.</summary>
public sealed class FunctionManifestTests
{
    private static readonly Regex ValidFunctionName = new("^[A-Za-z][A-Za-z0-9_-]{0,127}$");

    private static WebApplication Build(Dictionary<string, string?>? settings = null) =>
        BroadcastApp.Build([], settings ?? new Dictionary<string, string?>());

    private static IEnumerable<RouteEndpoint> Endpoints(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>();

    private static JsonObject Trigger(FunctionDefinition f) => f.FunctionJson["bindings"]![0]!.AsObject();

    private static bool IsHttp(FunctionDefinition f) => (string?)Trigger(f)["type"] == "httpTrigger";

    [Fact]
    public async Task Every_api_route_and_method_has_an_http_function_and_every_http_function_an_api_route()
    {
        await using var app = Build();
        var mapped = Endpoints(app)
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/"))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m =>
                $"{m.ToLowerInvariant()} /{e.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet();
        var functions = FunctionManifest.For(app).Where(IsHttp).ToList();
        var declared = functions.SelectMany(f => Trigger(f)["methods"]!.AsArray().Select(m => $"{(string?)m} /api/{(string?)Trigger(f)["route"]}")).ToHashSet();

        Assert.Contains("get /api/broadcasts/{id}/recipients.csv", mapped);
        Assert.Contains("delete /api/suppressions/{phone_number}", mapped);
        Assert.Equal(mapped.Order(), declared.Order());
    }

    [Fact]
    public async Task Http_functions_are_anonymous_forwarded_functions_with_valid_unique_names()
    {
        await using var app = Build();
        var functions = FunctionManifest.For(app);

        Assert.Equal(functions.Count, functions.Select(f => f.Name.ToLowerInvariant()).Distinct().Count());
        Assert.All(functions, f => Assert.Matches(ValidFunctionName, f.Name));
        Assert.All(functions.Where(IsHttp), f =>
        {
            var bindings = f.FunctionJson["bindings"]!.AsArray();
            Assert.Equal(2, bindings.Count);
            Assert.Equal("anonymous", (string?)Trigger(f)["authLevel"]);
            Assert.Equal("req", (string?)Trigger(f)["name"]);
            Assert.False(((string?)Trigger(f)["route"])!.StartsWith("api"), f.Name);
            Assert.Equal("http", (string?)bindings[1]!["type"]);
            Assert.Equal("out", (string?)bindings[1]!["direction"]);
        });
        Assert.Contains(functions, f => f.Name == "Api_Broadcasts_Id_RecipientsCsv" && (string?)Trigger(f)["route"] == "broadcasts/{id}/recipients.csv");
    }

    [Fact]
    public async Task The_function_the_host_triggers_is_the_apps_invocation_route_on_its_drops_container()
    {
        await using var app = Build(FunctionsHostDriver.HostMode());
        var names = app.Services.GetRequiredService<StorageNames>();
        var functions = FunctionManifest.For(app).Where(f => !IsHttp(f)).ToList();

        var invocationRoutes = Endpoints(app).Where(e => !e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/"))
            .Select(e => e.RoutePattern.RawText!.Trim('/')).Order();
        Assert.Equal(invocationRoutes, functions.Select(f => f.Name).Order());

        // Broadcasts run on the app's own Durable Task engine: no queue function is left to the host.
        var drop = Assert.Single(functions);
        Assert.Equal("blobTrigger", (string?)Trigger(drop)["type"]);
        Assert.Equal(FunctionsHost.DropFunction, drop.Name);
        Assert.Equal("broadcast-drops/{name}", (string?)Trigger(drop)["path"]);
        Assert.All(functions, f => Assert.Equal("AzureWebJobsStorage", (string?)Trigger(f)["connection"]));
    }

    [Fact]
    public async Task A_storage_prefix_and_drops_container_setting_are_written_into_the_trigger_bindings()
    {
        await using var app = Build(new() { ["Storage:NamePrefix"] = "Staging", ["Drops:Container"] = "csv-drops" });
        var byName = FunctionManifest.For(app).ToDictionary(f => f.Name);

        Assert.Equal("staging-csv-drops/{name}", (string?)Trigger(byName[FunctionsHost.DropFunction])["path"]);
    }

    [Fact]
    public async Task Written_function_folders_are_the_manifest_and_the_host_mode_check_refuses_any_other()
    {
        var root = Directory.CreateTempSubdirectory("functionapp-").FullName;
        try
        {
            await using var app = Build();
            var functions = FunctionManifest.For(app);
            await FunctionManifest.WriteAsync(root, functions, CancellationToken.None);
            File.Copy(Path.Combine(RepoPaths.Root, "host.json"), Path.Combine(root, "host.json"));

            Assert.Equal(functions.Select(f => f.Name).Order(), Directory.GetDirectories(root).Select(d => new DirectoryInfo(d).Name).Order());
            Assert.All(functions, f => Assert.True(JsonNode.DeepEquals(f.FunctionJson, JsonNode.Parse(File.ReadAllText(Path.Combine(root, f.Name, "function.json")))), f.Name));
            FunctionManifestCheck.ThrowIfFunctionAppDiffers(app, root);

            await using var prefixed = Build(new() { ["Storage:NamePrefix"] = "other" });
            var refused = Assert.Throws<InvalidOperationException>(() => FunctionManifestCheck.ThrowIfFunctionAppDiffers(prefixed, root));
            Assert.Contains($"{FunctionsHost.DropFunction} differs", refused.Message);

            Directory.CreateDirectory(Path.Combine(root, "Leftover"));
            File.WriteAllText(Path.Combine(root, "Leftover", "function.json"), "{\"bindings\":[]}");
            File.Delete(Path.Combine(root, FunctionsHost.DropFunction, "function.json"));
            var problems = FunctionManifestCheck.Differences(root, functions);
            Assert.Equal([$"{FunctionsHost.DropFunction} is missing", "Leftover is not a function of this app"], problems);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
