using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions;

/// <summary>The standalone host's queue trigger: receives work items in batches of up to 32, runs up to
/// <c>maxConcurrent</c> at once, keeps each invisible while it runs, deletes it when its step succeeded, and
/// otherwise lets it come back after a backoff. Idle polling backs off to Workflow__MaxPollInterval.</summary>
internal sealed class QueueListener(
    IWorkQueue queue,
    Func<string, IWorkItemLease, CancellationToken, Task> step,
    WorkflowOptions options,
    int maxConcurrent,
    WorkSignal? wake,
    ILogger log) : BackgroundService
{
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var slots = new SemaphoreSlim(maxConcurrent);
        var idle = MinPoll;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stop);
                var free = slots.CurrentCount + 1;
                IReadOnlyList<QueuedMessage> messages;
                try
                {
                    messages = await queue.ReceiveAsync(Math.Min(32, free), options.VisibilityTimeout, stop);
                }
                catch
                {
                    slots.Release();
                    throw;
                }
                if (messages.Count == 0)
                {
                    slots.Release();
                    await WaitAsync(idle, stop);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollInterval.Ticks));
                    continue;
                }
                idle = MinPoll;
                for (var i = 0; i < messages.Count; i++)
                {
                    if (i > 0) await slots.WaitAsync(stop);
                    var message = messages[i];
                    _ = Task.Run(async () =>
                    {
                        try { await ProcessAsync(message, stop); }
                        finally { slots.Release(); }
                    }, CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("Queue {Queue} not reachable: {Error}", queue.Name, e.Message);
                await WaitAsync(options.MaxPollInterval, stop);
            }
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            if (wake is null) await Task.Delay(delay, stop);
            else await wake.WaitAsync(delay, stop);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(QueuedMessage message, CancellationToken stop)
    {
        var lease = new MessageLease(queue, message, options.VisibilityTimeout);
        try
        {
            await step(message.Content, lease, stop);
            await queue.DeleteAsync(lease.Current, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down: the item comes back when its visibility runs out.
        }
        catch (JsonException)
        {
            log.LogError("Queue {Queue}: dropping a work item that is not one of ours", queue.Name);
            await queue.DeleteAsync(lease.Current, CancellationToken.None);
        }
        catch (WorkItemBusyException busy)
        {
            // Waiting for another worker's lease is not a failed try: a fresh copy comes back when that lease ends
            // (hiding this one would count every look as a try, and a crashed worker's batch would be given up).
            try
            {
                await queue.EnqueueAsync(message.Content, BusyWorkItem.WaitFor(busy, DateTimeOffset.UtcNow), CancellationToken.None);
                await queue.DeleteAsync(lease.Current, CancellationToken.None);
            }
            catch (Exception)
            {
                await TryHideAsync(lease, BusyWorkItem.WaitFor(busy, DateTimeOffset.UtcNow));
            }
        }
        catch (Exception e)
        {
            log.LogWarning("Queue {Queue}: work item failed on try {Try}: {Error}", queue.Name, message.DequeueCount, e.Message);
            var backoff = options.RetryDelay * Math.Pow(2, Math.Max(0, message.DequeueCount - 1));
            await TryHideAsync(lease, backoff < options.VisibilityTimeout ? backoff : options.VisibilityTimeout);
        }
    }

    private async Task TryHideAsync(MessageLease lease, TimeSpan delay)
    {
        try
        {
            await queue.ExtendAsync(lease.Current, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, CancellationToken.None);
        }
        catch (Exception)
        {
            // It comes back by itself when its visibility timeout ends.
        }
    }

    private sealed class MessageLease(IWorkQueue queue, QueuedMessage message, TimeSpan visibility) : IWorkItemLease
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public QueuedMessage Current { get; private set; } = message;
        public int DequeueCount { get; } = message.DequeueCount;

        public async Task RenewAsync(CancellationToken ct)
        {
            await _gate.WaitAsync(ct);
            try { Current = await queue.ExtendAsync(Current, visibility, ct); }
            finally { _gate.Release(); }
        }
    }
}

/// <summary>Starts the standalone listeners, one per workflow queue.</summary>
internal sealed class WorkflowListeners(IStorage storage, StorageNames names, WorkflowSteps steps,
    WorkflowOptions options, WorkSignal signal, ILoggerFactory logs) : IHostedService
{
    private readonly List<QueueListener> _listeners = [];

    public async Task StartAsync(CancellationToken ct)
    {
        _listeners.Add(new QueueListener(storage.Queue(names.StartQueue), steps.RunStartAsync, options, 8, null, logs.CreateLogger("Broadcast.StartQueue")));
        _listeners.Add(new QueueListener(storage.Queue(names.BatchQueue), steps.RunBatchAsync, options, options.MaxConcurrentBatches, signal, logs.CreateLogger("Broadcast.BatchQueue")));
        foreach (var l in _listeners) await l.StartAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        foreach (var l in _listeners) await l.StopAsync(ct);
    }
}
