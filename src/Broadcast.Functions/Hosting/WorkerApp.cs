using Broadcast.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;

namespace Broadcast.Functions.Hosting;

/// <summary>The form the Functions host runs: an isolated worker with ASP.NET Core integration, the app's services as
/// the standalone form registers them, the Durable extension's client (<see cref="Core.Workflow.DurableClientSource"/>)
/// instead of the standalone engine, the blob trigger instead of the drop watcher.</summary>
public static class WorkerApp
{
    public static IHost Build(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        // The task hub (host.json's hubName) and the blob trigger's container (Drops__Container) are named by the host,
        // which knows no prefix: a prefix here would put the app's tables and the host's triggers in different places.
        if (!string.IsNullOrEmpty(builder.Configuration["Storage:NamePrefix"]))
            throw new InvalidOperationException("Storage__NamePrefix is for standalone instances sharing one account; under the Functions host leave it empty (give each app its own storage account or Drops__Container and task hub).");
        builder.ConfigureFunctionsWebApplication();
        BroadcastApp.RaiseMinWorkerThreads(builder.Configuration);
        builder.AddBroadcastServices(AppForm.FunctionsWorker);
        builder.AddBroadcastTelemetry(AppForm.FunctionsWorker);
        builder.Services.AddSingleton<HostedApi>();
        // The OpenAPI document and link generation read the app's endpoints from the container; the worker's routing
        // keeps its own (the functions' routes).
        builder.Services.AddSingleton<EndpointDataSource>(sp => sp.GetRequiredService<HostedApi>().Endpoints);
        builder.Services.RedactSecretsInLogs();
        return builder.Build();
    }
}
