using Broadcast.Core.Workflow;

namespace Broadcast.Functions;

/// <summary>The queue-triggered functions: what a work item of each queue runs. The standalone listeners and
/// the Functions host's invocations both call these, so both run the very same step code.</summary>
public sealed class WorkflowSteps(BroadcastWorkflow workflow, WorkflowOptions options)
{
    public async Task RunStartAsync(string content, IWorkItemLease lease, CancellationToken ct)
    {
        var item = StartWorkItem.Parse(content);
        if (lease.DequeueCount > options.MaxDequeueCount)
        {
            await workflow.FailStartAsync(item, $"could not start after {lease.DequeueCount - 1} tries", ct);
            return;
        }
        await workflow.RunStartAsync(item, lease, ct);
    }

    public Task RunBatchAsync(string content, IWorkItemLease lease, CancellationToken ct) =>
        workflow.RunBatchAsync(BatchWorkItem.Parse(content), lease, ct);
}
