using Broadcast.Functions.Drops;

namespace Broadcast.Functions.Hosting;

/// <summary>The Azure Functions host side of the app: whether we run under it (as its custom handler), and the names
/// of the functions it invokes by name rather than by forwarding an HTTP request.</summary>
public static class FunctionsHost
{
    /// <summary>Set by the Functions host for its custom handler: the loopback port it sends invocations to.</summary>
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Whether the Functions host runs this process as its custom handler.</summary>
    public static bool IsCustomHandler(IConfiguration config) => !string.IsNullOrEmpty(config[PortSetting]);

    /// <summary>Whether this process watches the drop container itself: standalone, unless <c>Workflow__RunListeners</c>
    /// is off; under the host its blob trigger delivers the drops instead.</summary>
    public static bool RunsOwnListeners(IConfiguration config) => !IsCustomHandler(config) && config.GetValue("Workflow:RunListeners", true);

    /// <summary>The connection every trigger uses: <c>AzureWebJobsStorage</c>, or its identity-based form
    /// <c>AzureWebJobsStorage__accountName</c> in Azure.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    public const string DropFunction = "BroadcastDrop";

    /// <summary>The trigger bindings' names: the keys of the invocation's <c>Data</c>.</summary>
    public const string DropBinding = "drop";

    public static bool IsActive(IConfiguration config) => !string.IsNullOrEmpty(config[PortSetting]);

    /// <summary>The drops container as the app names it (<c>Drops__Container</c>, with the storage prefix).</summary>
    public static string DropsContainer(IConfiguration config, Core.Storage.StorageNames names) =>
        names.DropsContainer((config.GetSection(DropOptions.Section).Get<DropOptions>() ?? new DropOptions()).Container);
}
