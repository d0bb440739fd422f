using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Storage;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broadcast.Durable;

/// <summary>The standalone form's Durable Task engine, registered once: the task hub's backend (Azure Storage, on the
/// app's own storage settings, identity included, unless one is given), the <see cref="DurableTaskClient"/> the product
/// schedules and signals orchestrations with, and the worker that runs them.</summary>
public static class DurableRegistration
{
    /// <param name="hostJson">The app's host.json (its text), where the task hub's settings are.</param>
    /// <param name="backend">Another task hub backend than Azure Storage (the unit tests' in-memory one).</param>
    public static IServiceCollection AddStandaloneDurableEngine(this IServiceCollection services, IConfiguration config, string? hostJson,
        Func<IServiceProvider, IOrchestrationService>? backend = null)
    {
        services.AddSingleton(_ => TaskHubSettings.Read(config, hostJson));
        services.AddSingleton(backend ?? (sp => AzureStorageBackend(sp, config)));
        services.AddSingleton(sp => (IOrchestrationServiceClient)sp.GetRequiredService<IOrchestrationService>());
        services.AddSingleton(sp => new DurableTaskShimFactory(new DurableTaskWorkerOptions
        {
            MaximumTimerInterval = sp.GetRequiredService<TaskHubSettings>().MaximumTimerInterval,
            DataConverter = JsonDataConverter.Default,
        }, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<DurableTaskClient>(sp =>
            new EngineDurableTaskClient("standalone", sp.GetRequiredService<IOrchestrationServiceClient>(), JsonDataConverter.Default));
        services.AddHostedService<StandaloneEngine>();
        // The engine narrates every poll and lease at Information; what matters (failures) it logs as warnings.
        // A more specific category in Logging__LogLevel (e.g. DurableTask.AzureStorage) still wins.
        services.AddLogging(logging => logging.AddFilter("DurableTask", LogLevel.Warning));
        return services;
    }

    /// <summary>The Azure Storage backend on the storage the app uses (<c>AzureWebJobsStorage</c>, a connection string or
    /// identity), with the task hub settings of host.json and the worker id of <see cref="WorkflowOptions.WorkerId"/>.</summary>
    private static AzureStorageOrchestrationService AzureStorageBackend(IServiceProvider sp, IConfiguration config)
    {
        var hub = sp.GetRequiredService<TaskHubSettings>();
        var workflow = sp.GetRequiredService<WorkflowOptions>();
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub.TaskHubName(sp.GetRequiredService<StorageNames>().Prefix),
            StorageAccountClientProvider = StorageAccount(sp, config),
            PartitionCount = hub.PartitionCount,
            ControlQueueVisibilityTimeout = hub.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = hub.WorkItemQueueVisibilityTimeout,
            MaxQueuePollingInterval = hub.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = workflow.MaxConcurrentBatches ?? hub.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = hub.MaxConcurrentOrchestrations,
            ExtendedSessionsEnabled = hub.ExtendedSessions,
            WorkerId = workflow.WorkerId is { Length: > 0 } name ? name : Environment.MachineName,
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        });
    }

    private static StorageAccountClientProvider StorageAccount(IServiceProvider sp, IConfiguration config)
    {
        var info = sp.GetRequiredService<StorageConnectionInfo>();
        if (info.Mode != "identity")
        {
            var connectionString = config["Storage:ConnectionString"] is { Length: > 0 } own ? own
                : config[StorageRegistration.ConnectionName] is { Length: > 0 } host ? host : "UseDevelopmentStorage=true";
            return new StorageAccountClientProvider(connectionString);
        }
        // The credential the same settings name (credential=managedidentity, clientId, ...), as the Functions host builds it.
        var credential = sp.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(config.GetSection(StorageRegistration.ConnectionName));
        return new StorageAccountClientProvider(new Uri(info.BlobEndpoint), new Uri(info.QueueEndpoint), new Uri(info.TableEndpoint), credential);
    }
}
