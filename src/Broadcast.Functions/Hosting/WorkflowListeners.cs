using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Hosting;

/// <summary>Starts the standalone listeners, one per workflow queue.</summary>
internal sealed class WorkflowListeners(IStorage storage, StorageNames names, WorkflowSteps steps,
    WorkflowOptions options, WorkSignal signal, TimeProvider time, ILoggerFactory logs) : IHostedService
{
    /// <summary>Start items processed at once: each only fans out (a few storage calls per 256 batches), so a few
    /// overlap the storage latency of broadcasts accepted together; the sending happens in the batch queue.</summary>
    private const int StartConcurrency = 8;

    private readonly List<QueueListener> _listeners = [];

    public async Task StartAsync(CancellationToken ct)
    {
        _listeners.Add(new QueueListener(storage.Queue(names.StartQueue), steps.RunStartAsync, options, StartConcurrency, null, time, logs.CreateLogger("Broadcast.StartQueue")));
        _listeners.Add(new QueueListener(storage.Queue(names.BatchQueue), steps.RunBatchAsync, options, options.MaxConcurrentBatches, signal, time, logs.CreateLogger("Broadcast.BatchQueue")));
        foreach (var l in _listeners) await l.StartAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var l in _listeners) await l.StopAsync(ct);
    }
}
