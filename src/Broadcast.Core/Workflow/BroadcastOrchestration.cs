using Microsoft.DurableTask;

namespace Broadcast.Core.Workflow;

/// <summary>
/// A broadcast from start to finish (instance id = broadcast id, so a repeated create cannot start a second one):
/// <list type="number">
/// <item>Wait for started_at: a durable timer, which a cancel cuts short.</item>
/// <item>A message the accepting instance sends itself (the fast path) gets a head start: its tally arrives as an
///   event, or after <see cref="HeadStart"/> the orchestration sends whatever it left (a crash mid-send).</item>
/// <item>Mark it running.</item>
/// <item>Fan out its batches and fan in their tallies (<see cref="SendBatchesOrchestration"/>: sub-orchestrations
///   of batch ranges, a batch activity per batch at the leaves, messaging-limit waits as durable timers there).</item>
/// <item>Finish: the final counters and status.</item>
/// <item>Tell its notify_url, if it has one (retried until a 2xx, for up to a day).</item>
/// </list>
/// A cancel is the event <see cref="BroadcastEvents.Cancel"/> plus the mark every send checks: forwarded down the
/// tree, it schedules nothing new; batches in flight stop at their next send and the rest are counted canceled, so
/// the broadcast ends canceled with every recipient's outcome (never Terminate: it would skip this settling).
/// </summary>
public sealed class BroadcastOrchestration : TaskOrchestrator<BroadcastRun, Tally>
{
    /// <summary>How long the accepting instance may take to send a fast-path broadcast before the orchestration sends
    /// what is left; the fast path stops itself well before (<see cref="BroadcastWorkflow.FastPathDeadline"/>), so
    /// the two never send at once.</summary>
    public static readonly TimeSpan HeadStart = TimeSpan.FromSeconds(30);

    public override async Task<Tally> RunAsync(TaskOrchestrationContext context, BroadcastRun run)
    {
        var tally = await SendAsync(context, run);
        // 6. Told (a broadcast whose create failed has no row: the activity finds nothing to tell)
        if (run.Notify) await NotifyAsync(context, run);
        return tally;
    }

    private static async Task<Tally> SendAsync(TaskOrchestrationContext context, BroadcastRun run)
    {
        var cancel = context.WaitForExternalEvent<bool>(BroadcastEvents.Cancel);

        // 1. started_at
        if (run.StartAt is { } startAt && startAt > context.CurrentUtcDateTime
            && await OnTimeTimer.FirstAsync(context, startAt, cancel) == cancel)
            return await FinishAsync(context, run, await CancelAllAsync(context, run));

        // 2. The fast path's head start: it ends when the accepting instance says it sent everything (a cancel
        // included: the fast path sees the mark and settles it), or that it stopped half-way, or after HeadStart (it died).
        if (run.StartedHere)
        {
            var sentHere = context.WaitForExternalEvent<Tally>(BroadcastEvents.SentHere);
            var handedOver = context.WaitForExternalEvent<bool>(BroadcastEvents.HandedOver);
            await OnTimeTimer.FirstAsync(context, context.CurrentUtcDateTime + HeadStart, Task.WhenAny(sentHere, handedOver));
            if (sentHere.IsCompleted) return await sentHere; // the accepting instance wrote every outcome and finished it
        }

        // 3. Running
        var started = await context.CallActivityAsync<string>(nameof(StartBroadcastActivity), run.BroadcastId, Retry(run.RetryDelay));
        if (started == StartBroadcastActivity.Gone) return Tally.None; // its create failed after this was scheduled
        if (started == StartBroadcastActivity.CancelRequested)
            return await FinishAsync(context, run, await CancelAllAsync(context, run));

        // 4. Fan-out and fan-in
        var all = new BatchRange(run.BroadcastId, 0, run.BatchCount, run.RetryDelay);
        var sending = context.CallSubOrchestratorAsync<Tally>(nameof(SendBatchesOrchestration), all,
            new SubOrchestrationOptions { InstanceId = SendBatchesOrchestration.InstanceId(all) });
        if (await Task.WhenAny(sending, cancel) == cancel)
            context.SendEvent(SendBatchesOrchestration.InstanceId(all), BroadcastEvents.Cancel, true);
        var tally = await sending;

        // 5. Finished
        return await FinishAsync(context, run, tally);
    }

    private static async Task NotifyAsync(TaskOrchestrationContext context, BroadcastRun run)
    {
        var retryFor = run.NotifyRetryFor ?? TimeSpan.FromHours(24);
        var policy = new Microsoft.DurableTask.RetryPolicy(maxNumberOfAttempts: 1000, firstRetryInterval: Positive(run.NotifyRetryDelay ?? TimeSpan.FromSeconds(10)),
            backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromHours(1), retryTimeout: retryFor);
        try
        {
            await context.CallActivityAsync<string>(nameof(NotifyActivity), run.BroadcastId, TaskOptions.FromRetryPolicy(policy));
        }
        catch (TaskFailedException)
        {
            // Given up after Notifications__RetryFor: each failed try was logged; the broadcast itself is finished.
        }
    }

    private static Task<Tally> CancelAllAsync(TaskOrchestrationContext context, BroadcastRun run) =>
        context.CallActivityAsync<Tally>(nameof(CancelBatchesActivity), new BatchRange(run.BroadcastId, 0, run.BatchCount, run.RetryDelay), Retry(run.RetryDelay));

    private static async Task<Tally> FinishAsync(TaskOrchestrationContext context, BroadcastRun run, Tally tally)
    {
        await context.CallActivityAsync(nameof(FinishBroadcastActivity), new BroadcastFinish(run.BroadcastId, tally), Retry(run.RetryDelay));
        return tally;
    }

    /// <summary>Storage calls of the bookkeeping steps: retried long enough to ride out an outage of storage (the
    /// delays double to a 5-minute cap: about an hour in all) rather than leave a broadcast unfinished.</summary>
    internal static TaskOptions Retry(TimeSpan firstDelay) =>
        TaskOptions.FromRetryPolicy(new Microsoft.DurableTask.RetryPolicy(maxNumberOfAttempts: 16, firstRetryInterval: Positive(firstDelay),
            backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5)));

    internal static TimeSpan Positive(TimeSpan delay) => delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(100);
}
