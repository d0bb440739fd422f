using System.Text.Json;
using Broadcast.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>What a queue trigger does with one work item, the same for the standalone listeners and the tests.</summary>
public static class WorkItemRunner
{
    /// <summary>Runs the step of one received work item and settles the message: deleted when the step succeeded
    /// (or the item is not ours), sent back as a fresh copy when another worker holds its batch, hidden for a
    /// backoff when the step failed, left alone when this process is stopping.</summary>
    public static async Task RunAsync(IWorkQueue queue, QueuedMessage message, Func<string, IWorkItemLease, CancellationToken, Task> step,
        WorkflowOptions options, TimeProvider time, ILogger log, CancellationToken stop)
    {
        var lease = new MessageLease(queue, message, options.VisibilityTimeout, time);
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
                await queue.EnqueueAsync(message.Content, WaitFor(busy, time.GetUtcNow()), CancellationToken.None);
                await queue.DeleteAsync(lease.Current, CancellationToken.None);
            }
            catch (Exception)
            {
                await TryHideAsync(queue, lease, WaitFor(busy, time.GetUtcNow()));
            }
        }
        catch (Exception e)
        {
            log.LogWarning("Queue {Queue}: work item failed on try {Try}: {Error}", queue.Name, message.DequeueCount, e.Message);
            var backoff = options.RetryDelay * Math.Pow(2, Math.Max(0, message.DequeueCount - 1));
            await TryHideAsync(queue, lease, backoff < options.VisibilityTimeout ? backoff : options.VisibilityTimeout);
        }
    }

    private static async Task TryHideAsync(IWorkQueue queue, MessageLease lease, TimeSpan delay)
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

    /// <summary>A renewal is a storage write: one asked for while more than half of the visibility is left (a group
    /// start item renews after each of its broadcasts) changes nothing worth it and is skipped.</summary>
    private sealed class MessageLease(IWorkQueue queue, QueuedMessage message, TimeSpan visibility, TimeProvider time) : IWorkItemLease
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private DateTimeOffset _visibleAgainAt = message.VisibleAgainAt ?? time.GetUtcNow();

        public QueuedMessage Current { get; private set; } = message;
        public int DequeueCount { get; } = message.DequeueCount;

        public async Task RenewAsync(CancellationToken ct)
        {
            await _gate.WaitAsync(ct);
            try
            {
                var now = time.GetUtcNow();
                if (_visibleAgainAt - now > visibility / 2) return;
                Current = await queue.ExtendAsync(Current, visibility, ct);
                _visibleAgainAt = Current.VisibleAgainAt ?? now + visibility;
            }
            finally { _gate.Release(); }
        }
    }

    /// <summary>A batch work item whose batch another worker holds comes back half a second past the holder's
    /// lease, so the claim finds it over; at least a second later, because queue delays are whole seconds and a
    /// shorter one would bring the item straight back.</summary>
    public static TimeSpan WaitFor(WorkItemBusyException busy, DateTimeOffset now)
    {
        var wait = busy.RetryAt - now + TimeSpan.FromMilliseconds(500);
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }
}
