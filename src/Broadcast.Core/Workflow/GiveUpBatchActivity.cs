using Broadcast.Core.Storage;
using Broadcast.Core.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>A batch whose activity failed every try (storage or its recipient list unreadable): the recipients it
/// left without an outcome fail with the reason, so the broadcast finishes instead of hanging.</summary>
public sealed class GiveUpBatchActivity(BroadcastStore broadcasts, BatchStore batches, ProgressReports progress, WorkflowShutdown shutdown,
    ILogger<GiveUpBatchActivity> log) : TaskActivity<BatchGiveUp, Tally>
{
    public override async Task<Tally> RunAsync(TaskActivityContext context, BatchGiveUp input)
    {
        var ct = shutdown.Stopping;
        var record = await broadcasts.GetAsync(input.BroadcastId, ct);
        if (record is null) return Tally.None;
        var batch = await batches.GetAsync(input.BroadcastId, input.Batch, ct)
            ?? new BatchRecord { BroadcastId = input.BroadcastId, Batch = input.Batch };
        if (!batch.Done)
        {
            var count = record.Definition.CountOf(input.Batch);
            if (batch.Outcomes.Length != count) batch.Outcomes = Enumerable.Repeat(RecipientOutcome.Queued, count).ToArray();
            BatchSending.Finish(batch, RecipientStatus.Failed, BatchSending.GaveUp(input.Tries, input.Error));
            batch.Done = true;
            await batches.SaveAsync(batch, ct); // a run that wrote it meanwhile makes this fail, and the retry reads it again
            log.BatchGivenUp(input.BroadcastId, input.Batch, input.Tries, input.Error);
        }
        await progress.ReportFinalAsync(input.BroadcastId, input.Batch, batch.Tally());
        return batch.Tally();
    }
}
