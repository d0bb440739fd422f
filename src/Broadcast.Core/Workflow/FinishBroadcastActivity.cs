using Broadcast.Core.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>Step 5 of <see cref="BroadcastOrchestration"/>: the fan-in's tally becomes the final counters, and the
/// status terminal (completed, failed or canceled).</summary>
public sealed class FinishBroadcastActivity(BroadcastWorkflow workflow, WorkflowShutdown shutdown, ILogger<FinishBroadcastActivity> log)
    : TaskActivity<BroadcastFinish, string?>
{
    public override async Task<string?> RunAsync(TaskActivityContext context, BroadcastFinish input)
    {
        using var scope = log.BeginBroadcastScope(input.BroadcastId);
        return (await workflow.FinishAsync(input.BroadcastId, input.Tally, shutdown.Stopping))?.Status;
    }
}
