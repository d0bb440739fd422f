using Broadcast.Functions.Drops;

namespace Broadcast.Functions.Hosting;

/// <summary>Which form the executable runs in, and the names the Functions host and the app must agree on.</summary>
public static class FunctionsHost
{
    /// <summary>Whether the Functions host launched this process as its isolated worker: it passes the gRPC endpoint
    /// to call back on the command line (<c>--functions-uri</c>, or <c>--host</c>/<c>--port</c> from older hosts) or
    /// as the setting <c>Functions__Worker__HostEndpoint</c>. Anyone else gets the standalone form.</summary>
    public static bool LaunchedTheWorker(string[] args, IConfiguration environment) =>
        args.Any(a => a is "--functions-uri" or "--host" || a.StartsWith("--functions-uri=", StringComparison.Ordinal))
        || !string.IsNullOrEmpty(environment["Functions:Worker:HostEndpoint"]);

    /// <summary>The connection every trigger and the task hub use: <c>AzureWebJobsStorage</c>, or its identity-based
    /// form (<c>AzureWebJobsStorage__accountName</c>, <c>__credential</c>, <c>__clientId</c>) in Azure.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    public const string DropFunction = "BroadcastDrop";

    /// <summary>The blob trigger's path: the container is the setting <c>Drops__Container</c>, resolved by the host.</summary>
    public const string DropPath = "%" + DropOptions.Section + ":" + nameof(DropOptions.Container) + "%/{name}";

    /// <summary>Whether this process watches the drop container itself: standalone, unless <c>Workflow__RunListeners</c>
    /// is off. Under the host the blob trigger delivers the drops (and the watcher is not registered).</summary>
    public static bool RunsOwnListeners(IConfiguration config) => config.GetValue("Workflow:RunListeners", true);
}
