using Broadcast.Core.Workflow;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Broadcast.Durable;

/// <summary>Runs the product's orchestrations and activities (<see cref="BroadcastTasks"/>) in this process: DurableTask.Core's
/// <see cref="TaskHubWorker"/> on the task hub's backend, each task wrapped by the Durable worker's public shims, so
/// the very classes the Functions host would run run here. Activities get their services from the app's container.</summary>
public sealed class StandaloneEngine(
    IOrchestrationService backend, DurableTaskShimFactory shims, IServiceProvider services, WorkflowShutdown shutdown, WorkflowOptions options,
    ILoggerFactory logs) : IHostedService, IAsyncDisposable
{
    /// <summary>How long the backend may take to answer at start (Azurite started beside the app, a cold account).</summary>
    private static readonly TimeSpan BackendStartupWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan BackendStartupPoll = TimeSpan.FromMilliseconds(500);

    private readonly ILogger _log = logs.CreateLogger<StandaloneEngine>();
    private TaskHubWorker? _worker;

    public async Task StartAsync(CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + BackendStartupWait;
        while (true)
        {
            try
            {
                await backend.CreateIfNotExistsAsync().WaitAsync(ct);
                break;
            }
            catch (Exception e) when (DateTimeOffset.UtcNow < deadline && e is not OperationCanceledException)
            {
                _log.LogWarning("The task hub is not reachable yet ({Error}); retrying", e.GetType().Name);
                await Task.Delay(BackendStartupPoll, ct);
            }
        }
        if (!options.RunListeners) return;

        _worker = new TaskHubWorker(backend, logs) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        _worker.AddTaskOrchestrations(BroadcastTasks.Orchestrators.Select(t => (ObjectCreator<TaskOrchestration>)new OrchestratorCreator(t, shims)).ToArray());
        _worker.AddTaskActivities(BroadcastTasks.Activities.Select(t => (ObjectCreator<TaskActivity>)new ActivityCreator(t, shims, services)).ToArray());
        await _worker.StartAsync();
    }

    /// <summary>Lets the work in hand finish while the host allows, then stops it where it is (what it committed stays;
    /// the rest runs again elsewhere or after a restart).</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_worker is null) return;
        var worker = _worker;
        _worker = null;
        var stopping = worker.StopAsync(isForced: false);
        try
        {
            await stopping.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            shutdown.Stop();
            // A forced stop would queue behind this one on the worker's lock, and with storage gone this one never ends
            // (its partition manager waits for storage to take the leases back): it is given a moment to end now that
            // the activities stopped, then left to end with the process.
            await Task.WhenAny(stopping, Task.Delay(AfterActivitiesStopped, CancellationToken.None));
        }
    }

    private static readonly TimeSpan AfterActivitiesStopped = TimeSpan.FromSeconds(2);

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>A fresh orchestrator and shim per execution: the shim keeps the execution's state.</summary>
    private sealed class OrchestratorCreator : ObjectCreator<TaskOrchestration>
    {
        private readonly Type _type;
        private readonly DurableTaskShimFactory _shims;

        public OrchestratorCreator(Type type, DurableTaskShimFactory shims)
        {
            _type = type;
            _shims = shims;
            Name = type.Name;
            Version = "";
        }

        public override TaskOrchestration Create() => _shims.CreateOrchestration(Name, (ITaskOrchestrator)Activator.CreateInstance(_type)!);
    }

    private sealed class ActivityCreator : ObjectCreator<TaskActivity>
    {
        private readonly Type _type;
        private readonly DurableTaskShimFactory _shims;
        private readonly IServiceProvider _services;

        public ActivityCreator(Type type, DurableTaskShimFactory shims, IServiceProvider services)
        {
            _type = type;
            _shims = shims;
            _services = services;
            Name = type.Name;
            Version = "";
        }

        public override TaskActivity Create() => _shims.CreateActivity(Name, (ITaskActivity)ActivatorUtilities.CreateInstance(_services, _type));
    }
}
