using System.Text.Json.Nodes;
using Broadcast.Core.Storage;

namespace Broadcast.Functions.Hosting;

/// <summary>Every function the Functions host must know, derived from the app itself so nothing drifts: an HTTP
/// function per <c>/api</c> route (anonymous: the app checks its own API keys) and the drops container, named
/// exactly as the app names it (storage prefix included). Broadcasts run on the app's own Durable Task engine.</summary>
public static class FunctionManifest
{
    /// <summary>For a built app, started or not (its endpoints are in its own data sources until it starts).</summary>
    public static IReadOnlyList<FunctionDefinition> For(WebApplication app) =>
        Build(new CompositeEndpointDataSource(((IEndpointRouteBuilder)app).DataSources), app.Services.GetRequiredService<StorageNames>(), app.Configuration);

    public static IReadOnlyList<FunctionDefinition> Build(EndpointDataSource endpoints, StorageNames names, IConfiguration config)
    {
        var functions = HttpFunctionRoutes.From(endpoints).Select(Http).ToList();
        functions.Add(BlobTriggered(FunctionsHost.DropFunction, FunctionsHost.DropsContainer(config, names)));
        return functions;
    }

    public static async Task WriteAsync(string directory, IEnumerable<FunctionDefinition> functions, CancellationToken ct)
    {
        foreach (var function in functions)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, function.Name));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "function.json"), function.ToJson() + "\n", ct);
        }
    }

    private static FunctionDefinition Http(HttpFunctionRoute route)
    {
        var trigger = new JsonObject
        {
            ["type"] = "httpTrigger",
            ["direction"] = "in",
            ["name"] = "req",
            ["authLevel"] = "anonymous",
            ["route"] = route.Route,
        };
        if (route.Methods is not null) trigger["methods"] = new JsonArray(route.Methods.Select(m => (JsonNode?)m).ToArray());
        return Function(route.Name, trigger, new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" });
    }

    // dataType binary: the host hands the bytes over as they are (base64) instead of decoding them as UTF-8 text.
    private static FunctionDefinition BlobTriggered(string name, string container) => Function(name, new JsonObject
    {
        ["type"] = "blobTrigger",
        ["direction"] = "in",
        ["name"] = FunctionsHost.DropBinding,
        ["path"] = container + "/{name}",
        ["dataType"] = "binary",
        ["connection"] = FunctionsHost.StorageConnection,
    });

    private static FunctionDefinition Function(string name, params JsonObject[] bindings) =>
        new(name, new JsonObject { ["bindings"] = new JsonArray(bindings.Select(b => (JsonNode?)b).ToArray()) });
}
