using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Hosting;

/// <summary>The standalone host's queue trigger: receives work items in batches of up to 32, runs up to
/// <c>maxConcurrent</c> at once, keeps each invisible while it runs, deletes it when its step succeeded, and
/// otherwise lets it come back after a backoff. Idle polling backs off to Workflow__MaxPollInterval.</summary>
internal sealed class QueueListener(
    IWorkQueue queue,
    Func<string, IWorkItemLease, CancellationToken, Task> step,
    WorkflowOptions options,
    int maxConcurrent,
    WorkSignal? wake,
    TimeProvider time,
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
            if (wake is null) await Task.Delay(delay, time, stop);
            else await wake.WaitAsync(delay, stop);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private Task ProcessAsync(QueuedMessage message, CancellationToken stop) =>
        WorkItemRunner.RunAsync(queue, message, step, options, time, log, stop);
}
