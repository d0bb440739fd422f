using Microsoft.DurableTask;

namespace Broadcast.Core.Workflow;

/// <summary>
/// Sends a range of a broadcast's batches and answers their tally. A range of at most <see cref="LeafBatches"/> is a
/// leaf: one <see cref="SendBatchActivity"/> per batch, all scheduled at once (the engine's activity concurrency
/// paces them). A bigger range splits into at most <see cref="FanOut"/> sub-ranges, run as sub-orchestrations,
/// <see cref="RangesInFlight"/> at a time. So no instance's history holds more than about four events per child
/// (<see cref="MaxHistoryEvents"/>), however many recipients, and a million recipients make a tree two levels deep.
/// </summary>
public sealed class SendBatchesOrchestration : TaskOrchestrator<BatchRange, Tally>
{
    /// <summary>Batches per leaf: a leaf's history is about four events per batch, so 50 keeps it near 200.</summary>
    public const int LeafBatches = 50;

    /// <summary>Sub-ranges per inner range, bounding its history like a leaf's.</summary>
    public const int FanOut = 50;

    /// <summary>Sub-ranges of one range sending at once: 4 leaves keep up to 200 batches queued, enough for a dozen
    /// instances at their default 16 concurrent batches, while a cancel leaves at most that many to settle.</summary>
    public const int RangesInFlight = 4;

    /// <summary>The bound every instance's history stays under when no activity fails (each failure adds its retry's
    /// four events): two per child scheduled and done, two per episode, and a few of its own.</summary>
    public const int MaxHistoryEvents = 4 * LeafBatches + 20;

    public static string InstanceId(BatchRange range) => $"{range.BroadcastId}:{range.From}-{range.To}";

    public override Task<Tally> RunAsync(TaskOrchestrationContext context, BatchRange range) =>
        range.Count <= LeafBatches || range.Holds is not null ? SendLeafAsync(context, range) : SendSubRangesAsync(context, range);

    // A leaf -----------------------------------------------------------------------------------------------------

    private static async Task<Tally> SendLeafAsync(TaskOrchestrationContext context, BatchRange range)
    {
        var cancel = context.WaitForExternalEvent<bool>(BroadcastEvents.Cancel);
        var batches = range.Holds ?? Enumerable.Range(range.From, range.Count).ToArray();
        var tally = range.SoFar ?? Tally.None;

        if (range.Canceled) return tally + await CancelAsync(context, range, batches);

        var outcomes = await Task.WhenAll(batches.Select(batch => SendBatchAsync(context, range, batch)));
        var held = new List<int>();
        DateTime? resumesAt = null;
        for (var i = 0; i < batches.Length; i++)
        {
            if (outcomes[i].Done) tally += outcomes[i].Tally;
            else
            {
                held.Add(batches[i]);
                var wakeAt = outcomes[i].WakeAt(context.CurrentUtcDateTime);
                if (resumesAt is null || wakeAt < resumesAt) resumesAt = wakeAt;
            }
        }
        if (held.Count == 0) return tally;

        // The messaging limit or the delivery window holds some back: wait for it to move (or a cancel), then start over with
        // only those, so the history stays one round long however many days the limit spreads the broadcast over.
        var canceled = await OnTimeTimer.FirstAsync(context, resumesAt!.Value, cancel) == cancel;
        context.ContinueAsNew(range with { SoFar = tally, Holds = [.. held], Canceled = canceled }, preserveUnprocessedEvents: true);
        return tally;
    }

    /// <summary>One batch; if its activity keeps failing (each failure already retried by the framework), what it
    /// left fails with the reason rather than hang.</summary>
    private static async Task<BatchOutcome> SendBatchAsync(TaskOrchestrationContext context, BatchRange range, int batch)
    {
        try
        {
            return await context.CallActivityAsync<BatchOutcome>(nameof(SendBatchActivity), new BatchRef(range.BroadcastId, batch), BatchRetry(range.RetryDelay));
        }
        catch (TaskFailedException e)
        {
            var error = e.FailureDetails?.ErrorMessage ?? e.Message;
            var tally = await context.CallActivityAsync<Tally>(nameof(GiveUpBatchActivity),
                new BatchGiveUp(range.BroadcastId, batch, BatchTries, error), BroadcastOrchestration.Retry(range.RetryDelay));
            return new BatchOutcome(tally);
        }
    }

    /// <summary>Tries of a batch activity that fails (storage or the recipient list unreadable): the first again after
    /// Workflow__RetryDelay, doubling. A batch that crashes its worker each time is given up by the activity itself
    /// after Workflow__MaxDequeueCount runs.</summary>
    private const int BatchTries = 5;

    private static TaskOptions BatchRetry(TimeSpan firstDelay) =>
        TaskOptions.FromRetryPolicy(new Microsoft.DurableTask.RetryPolicy(maxNumberOfAttempts: BatchTries, firstRetryInterval: BroadcastOrchestration.Positive(firstDelay),
            backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    private static Task<Tally> CancelAsync(TaskOrchestrationContext context, BatchRange range, int[] batches) =>
        context.CallActivityAsync<Tally>(nameof(CancelBatchesActivity), range with { Holds = batches, SoFar = null }, BroadcastOrchestration.Retry(range.RetryDelay));

    // An inner range -----------------------------------------------------------------------------------------------

    private static async Task<Tally> SendSubRangesAsync(TaskOrchestrationContext context, BatchRange range)
    {
        var cancel = context.WaitForExternalEvent<bool>(BroadcastEvents.Cancel);
        var parts = Split(range);
        var running = new List<(BatchRange Range, Task<Tally> Sending)>();
        var next = 0;
        var canceled = false;
        void StartParts()
        {
            while (!canceled && running.Count < RangesInFlight && next < parts.Count)
            {
                var part = parts[next++];
                running.Add((part, context.CallSubOrchestratorAsync<Tally>(nameof(SendBatchesOrchestration), part,
                    new SubOrchestrationOptions { InstanceId = InstanceId(part) })));
            }
        }

        var tally = Tally.None;
        StartParts();
        while (running.Count > 0)
        {
            var waitingFor = running.Select(r => (Task)r.Sending).ToList();
            if (!canceled) waitingFor.Add(cancel);
            var done = await Task.WhenAny(waitingFor);
            if (done == cancel)
            {
                canceled = true;
                foreach (var (part, _) in running) context.SendEvent(InstanceId(part), BroadcastEvents.Cancel, true);
                continue;
            }
            var finished = running.First(r => r.Sending == done);
            running.Remove(finished);
            tally += await finished.Sending;
            StartParts();
        }
        if (next < parts.Count)
            tally += await context.CallActivityAsync<Tally>(nameof(CancelBatchesActivity), range with { From = parts[next].From },
                BroadcastOrchestration.Retry(range.RetryDelay));
        return tally;
    }

    /// <summary>At most <see cref="FanOut"/> sub-ranges, each a leaf or a power of <see cref="FanOut"/> leaves.</summary>
    public static IReadOnlyList<BatchRange> Split(BatchRange range)
    {
        long span = LeafBatches;
        while (range.Count > span * FanOut) span *= FanOut;
        var parts = new List<BatchRange>();
        for (long from = range.From; from < range.To; from += span)
            parts.Add(range with { From = (int)from, To = (int)Math.Min(range.To, from + span), SoFar = null, Holds = null });
        return parts;
    }
}
