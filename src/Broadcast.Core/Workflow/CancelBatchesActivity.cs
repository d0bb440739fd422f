using Broadcast.Core.Storage;
using Microsoft.DurableTask;

namespace Broadcast.Core.Workflow;

/// <summary>A canceled broadcast's batches that were never sent (or wait for the messaging limit): each recipient
/// without an outcome is counted canceled. Batches never started have no row, and the recipient log shows their
/// recipients canceled once the broadcast is finished; a batch that has one gets its queued recipients canceled.</summary>
public sealed class CancelBatchesActivity(BroadcastStore broadcasts, BatchStore batches, WorkflowShutdown shutdown)
    : TaskActivity<BatchRange, Tally>
{
    /// <summary>Batch rows read at once: one query page each.</summary>
    private const int Chunk = 100;

    public override async Task<Tally> RunAsync(TaskActivityContext context, BatchRange range)
    {
        var ct = shutdown.Stopping;
        var record = await broadcasts.GetAsync(range.BroadcastId, ct);
        if (record is null) return Tally.None;
        var definition = record.Definition;
        var wanted = range.Holds ?? Enumerable.Range(range.From, range.Count).ToArray();
        var total = Tally.None;
        foreach (var chunk in wanted.Chunk(Chunk))
        {
            var rows = (await batches.ListAsync(range.BroadcastId, chunk[0], chunk[^1] - chunk[0] + 1, ct)).ToDictionary(b => b.Batch);
            var tallies = new Dictionary<int, Tally>();
            foreach (var number in chunk)
            {
                if (rows.TryGetValue(number, out var batch))
                {
                    if (!batch.Done)
                    {
                        var count = definition.CountOf(number);
                        if (batch.Outcomes.Length != count) batch.Outcomes = Enumerable.Repeat(RecipientOutcome.Queued, count).ToArray();
                        // Marked sending (at_most_once) may have reached the vendor: unknown, never canceled.
                        for (var i = 0; i < count; i++)
                            if (batch.Outcomes[i].Status == RecipientStatus.Sending)
                                batch.Outcomes[i] = batch.Outcomes[i] with { Status = RecipientStatus.Unknown, Error = "in flight when the broadcast was canceled" };
                        BatchSending.Finish(batch, RecipientStatus.Canceled, null);
                        batch.Done = true;
                        await batches.SaveAsync(batch, ct);
                    }
                    tallies[number] = batch.Tally();
                }
                else tallies[number] = new Tally(Canceled: definition.CountOf(number));
                total += tallies[number];
            }
            await broadcasts.ReportProgressAsync(range.BroadcastId, tallies, ct);
        }
        return total;
    }
}
