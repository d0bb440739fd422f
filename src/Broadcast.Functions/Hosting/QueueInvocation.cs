using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Hosting;

/// <summary>A queue-triggered invocation (<c>BroadcastStart</c>, <c>BroadcastBatch</c>): runs the very
/// <see cref="WorkflowSteps"/> step the standalone listeners run, and answers like them. A step that threw answers
/// 500 so the host retries; a batch another worker holds goes back on its queue until that lease ends (a success for
/// the host, so the wait burns no dequeue count); a message that is not a work item is dropped.</summary>
internal static class QueueInvocation
{
    public static async Task<IResult> RunAsync(HttpContext context, string function, string queue,
        Func<string, IWorkItemLease, CancellationToken, Task> step)
    {
        var log = HostInvocationEndpoints.Logger(context, function);
        var (invocation, rejected) = await HostInvocationEndpoints.ReadAsync(context);
        if (invocation is null) return rejected!.ToHttpResult();

        string content;
        try
        {
            content = invocation.MessageText(FunctionsHost.WorkItemBinding);
        }
        catch (InvalidInvocationException e)
        {
            return HostInvocationResult.Rejected($"{function}: {e.Message}").ToHttpResult();
        }
        var lease = new HostLease(invocation.MetadataInt("DequeueCount") ?? 1);
        using var stopping = HostInvocationEndpoints.Stopping(context);
        var ct = stopping.Token;
        try
        {
            await step(content, lease, ct);
            return HostInvocationResult.Succeeded($"{function}: done (try {lease.DequeueCount})").ToHttpResult();
        }
        catch (JsonException)
        {
            log.LogError("Queue {Queue}: dropping a work item that is not one of ours", queue);
            return HostInvocationResult.Succeeded($"{function}: dropped a message that is not a work item").ToHttpResult();
        }
        catch (WorkItemBusyException busy)
        {
            var wait = WorkItemRunner.WaitFor(busy, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
            try
            {
                await context.RequestServices.GetRequiredService<IStorage>().Queue(queue).EnqueueAsync(content, wait, CancellationToken.None);
            }
            catch (Exception e)
            {
                return HostInvocationResult.Failed($"{function}: another worker holds this batch and putting it back failed: {e.Message}").ToHttpResult();
            }
            return HostInvocationResult.Succeeded($"{function}: another worker holds this batch; back on {queue} in {wait.TotalSeconds:0.#} s").ToHttpResult();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return HostInvocationResult.Failed($"{function}: stopped before the step finished").ToHttpResult();
        }
        catch (Exception e)
        {
            log.LogWarning("Queue {Queue}: work item failed on try {Try}: {Error}", queue, lease.DequeueCount, e.Message);
            return HostInvocationResult.Failed($"{function}: failed on try {lease.DequeueCount}: {e.Message}").ToHttpResult();
        }
    }
}
