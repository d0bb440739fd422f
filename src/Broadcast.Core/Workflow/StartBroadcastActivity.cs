using Broadcast.Core.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>Step 3 of <see cref="BroadcastOrchestration"/>: the broadcast is running from now (the read model says so).</summary>
public sealed class StartBroadcastActivity(BroadcastWorkflow workflow, WorkflowShutdown shutdown, ILogger<StartBroadcastActivity> log)
    : TaskActivity<string, string>
{
    public const string Running = "running";
    /// <summary>No row: the create that scheduled this failed after scheduling it.</summary>
    public const string Gone = "gone";
    public const string CancelRequested = "cancel-requested";

    public override async Task<string> RunAsync(TaskActivityContext context, string broadcastId)
    {
        using var scope = log.BeginBroadcastScope(broadcastId);
        var record = await workflow.MarkRunningAsync(broadcastId, shutdown.Stopping);
        using var span = BroadcastTelemetry.StartStep(BroadcastTelemetry.Spans.StartStep, broadcastId, record?.Definition.TraceParent);
        return record is null ? Gone : BroadcastStatus.IsCancelRequested(record.Status) ? CancelRequested : Running;
    }
}
