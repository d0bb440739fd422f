using System.Diagnostics;
using Broadcast.Core.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using A = Broadcast.Core.Telemetry.BroadcastTelemetry.Attributes;

namespace Broadcast.Core.Workflow;

/// <summary>Step 4 of <see cref="BroadcastOrchestration"/>, fanned out by <see cref="SendBatchesOrchestration"/>: one
/// batch of recipients through its vendor (<see cref="BatchSending"/>). Idempotent: a run again (its worker was lost)
/// sends only what has no outcome in the batch's row, and a batch already done answers its tally at once.</summary>
public sealed class SendBatchActivity(BroadcastStore broadcasts, BatchSending sending, WorkflowShutdown shutdown, TimeProvider time,
    ILogger<SendBatchActivity> log) : TaskActivity<BatchRef, BatchOutcome>
{
    public override async Task<BatchOutcome> RunAsync(TaskActivityContext context, BatchRef input)
    {
        using var scope = log.BeginBroadcastScope(input.BroadcastId);
        var record = await broadcasts.GetAsync(input.BroadcastId, shutdown.Stopping);
        if (record is null) return new BatchOutcome(Tally.None);

        using var span = BroadcastTelemetry.StartStep(BroadcastTelemetry.Spans.BatchStep, record.Id, record.Definition.TraceParent, input.Batch);
        span?.SetTag(A.Worker, sending.RunBy); // which app instance: process and host, never anything secret
        var started = time.GetTimestamp();
        var result = "done";
        try
        {
            var outcome = await sending.SendBatchAsync(record, input.Batch, shutdown.Stopping);
            if (!outcome.Done) result = "waiting";
            return outcome;
        }
        catch (Exception e)
        {
            result = "failed";
            span.RecordError(e);
            log.BatchFailed(record.Id, input.Batch, e.Message);
            throw;
        }
        finally
        {
            span?.SetTag(A.Result, result);
            BroadcastMetrics.BatchDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(A.Result, result));
            if (result == "failed") span?.SetStatus(ActivityStatusCode.Error);
        }
    }
}
