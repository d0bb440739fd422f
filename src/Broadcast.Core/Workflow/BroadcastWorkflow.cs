using Broadcast.Core.Messaging;
using Broadcast.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>What the API and the drops do with broadcasts: accept one (its row, then its orchestration:
/// <see cref="BroadcastOrchestration"/> tells the rest of the story), send a small one due now right here (the fast
/// path), and cancel. The bookkeeping steps the orchestration and the fast path share are here too.</summary>
public sealed class BroadcastWorkflow(
    BroadcastStore broadcasts, BroadcastInstances instances, BatchSending sending, FastPathRuns fastPath, CancelWatch cancels,
    BroadcastCompletions completions, WorkflowOptions options, Campaigns.NotificationOptions notifications, TimeProvider time, ILogger<BroadcastWorkflow> log)
{
    /// <summary>Broadcasts this small start on the accepting instance (the fast path): one batch, sent within
    /// seconds at any ordinary rate.</summary>
    public const int FastPathMaxRecipients = 100;

    /// <summary>The fast path stops sending after this long, leaving the rest to the orchestration, which takes over
    /// after its <see cref="BroadcastOrchestration.HeadStart"/>: 10 s apart, the two never send at once.</summary>
    public static readonly TimeSpan FastPathDeadline = BroadcastOrchestration.HeadStart - TimeSpan.FromSeconds(10);

    // Accept ------------------------------------------------------------------------------------------------

    /// <summary>Durable once its orchestration is scheduled. The row comes first (a reader may look right after the
    /// answer) and is taken back when scheduling fails, so a create either wholly happens or leaves nothing.</summary>
    public async Task<BroadcastRecord> AcceptAsync(BroadcastDefinition definition, CancellationToken ct)
    {
        var record = new BroadcastRecord { Definition = definition with { TraceParent = BroadcastTelemetry.CurrentTraceParent() } };
        var now = time.GetUtcNow();
        await broadcasts.InsertAsync(record, ct);
        var here = options.FastPath && StartsHere(definition, now) && fastPath.TryEnter();
        var startAt = definition.ScheduledAt is { } at && at > now ? at.UtcDateTime : (DateTime?)null;
        try
        {
            await instances.ScheduleAsync(new BroadcastRun(definition.Id, definition.BatchCount, startAt, here, options.RetryDelay,
                definition.Run.NotifyUrl is not null, notifications.RetryDelay, notifications.RetryFor), ct);
        }
        catch
        {
            if (here) fastPath.Leave();
            await TakeBackAsync(definition.Id);
            throw;
        }
        BroadcastTelemetry.TagCurrent(definition.Id);
        log.BroadcastAccepted(definition.Id, definition.TotalRecipients, definition.Provider.Name(), definition.ScheduledAt?.ToString("O") ?? "now");
        if (here)
        {
            var known = record.Copy(); // the caller keeps answering with the record as accepted
            fastPath.Run(stopping => SendHereAsync(known, stopping));
        }
        return record;
    }

    /// <summary>Best effort: storage may be what failed. A row left behind unaccepted is removed by its next reader
    /// (<see cref="BroadcastStore.AcceptGrace"/>); an orchestration scheduled after all finds no row and ends.</summary>
    private async Task TakeBackAsync(string id)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await broadcasts.DeleteAsync(id, timeout.Token);
        }
        catch (Exception e)
        {
            log.LogWarning("The row of broadcast {Broadcast}, whose create failed, was not taken back ({Error}); readers remove it later", id, e.Message);
        }
    }

    private static bool StartsHere(BroadcastDefinition definition, DateTimeOffset now) =>
        (definition.ScheduledAt is null || definition.ScheduledAt <= now) && definition.TotalRecipients <= FastPathMaxRecipients;

    // The fast path ------------------------------------------------------------------------------------------

    /// <summary>Sends a small broadcast right after accepting it, through the same batch runs as its orchestration,
    /// and tells the orchestration when everything is done. Should this instance stop half-way, the orchestration
    /// sends what is left after its head start (at_most_once: what was in flight ends unknown).</summary>
    private async Task SendHereAsync(BroadcastRecord record, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(FastPathDeadline);
        var ct = deadline.Token;
        var finished = false;
        try
        {
            using var span = BroadcastTelemetry.StartStep(BroadcastTelemetry.Spans.BatchStep, record.Id, record.Definition.TraceParent, 0);
            var running = await MarkRunningAsync(record.Id, ct, record);
            if (running is { Status: BroadcastStatus.Running })
            {
                var tally = Tally.None;
                var all = true;
                for (var batch = 0; batch < running.Definition.BatchCount && all; batch++)
                {
                    var outcome = await sending.SendBatchAsync(running, batch, ct);
                    all = outcome.Done; // if not, the messaging limit holds some back: the orchestration waits for its window
                    tally += outcome.Tally;
                }
                if (all) running = await FinishAsync(record.Id, tally, ct);
            }
            // Finished here, or canceled before it started: the orchestration need not wait out its head start.
            if (running?.CompletedAt is not null)
            {
                finished = true;
                await instances.RaiseSentHereAsync(record.Id, running.Final, ct);
            }
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            log.LogWarning("Broadcast {Broadcast} could not be sent right away ({Error}); its orchestration will send it", record.Id, e.Message);
        }
        if (finished || stopping.IsCancellationRequested) return;
        try
        {
            await instances.RaiseHandedOverAsync(record.Id, stopping);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            log.LogWarning("Broadcast {Broadcast}: its orchestration takes over after its head start ({Error})", record.Id, e.Message);
        }
    }

    // Steps the orchestration and the fast path share ----------------------------------------------------------

    /// <summary>Scheduled → running (and accepted). Answers the row as it is now; null if there is none.</summary>
    public async Task<BroadcastRecord?> MarkRunningAsync(string id, CancellationToken ct, BroadcastRecord? known = null)
    {
        var startedNow = false;
        var record = await broadcasts.UpdateAsync(id, r =>
        {
            startedNow = false;
            if (r.Status != BroadcastStatus.Scheduled) return !r.Accepted && (r.Accepted = true);
            r.Status = BroadcastStatus.Running;
            r.StartedAt = time.GetUtcNow();
            r.Accepted = true;
            return startedNow = true;
        }, ct, known);
        if (startedNow && record is not null) log.BroadcastStarted(record.Id, record.Definition.TotalRecipients, record.Definition.BatchCount);
        return record;
    }

    /// <summary>Every recipient has its outcome: the final counters and status, once.</summary>
    public async Task<BroadcastRecord?> FinishAsync(string id, Tally tally, CancellationToken ct)
    {
        var finishedNow = false;
        var record = await broadcasts.UpdateAsync(id, r => finishedNow = r.Finish(tally, time.GetUtcNow()), ct);
        if (record is null) return null;
        completions.Finished(id);
        if (finishedNow)
            log.BroadcastFinished(record.Id, record.Status, record.Final.Sent, record.Final.Failed, record.Final.Unknown, record.Final.Suppressed,
                record.Final.Canceled, ((record.CompletedAt ?? time.GetUtcNow()) - (record.StartedAt ?? record.Definition.CreatedAt)).TotalSeconds);
        return record;
    }

    // Cancel -------------------------------------------------------------------------------------------------

    public enum CancelResult { NotFound, AlreadyFinished, Canceling }

    /// <summary>Marks the broadcast canceling (canceled_at is now): no send starts after this in this process, nor
    /// after a <see cref="CancelWatch.RefreshEvery"/> in others, and its orchestration schedules nothing new. It
    /// becomes canceled when every recipient has its final outcome; at once for a broadcast that never started. A
    /// cancel while canceling answers the same.</summary>
    public async Task<(CancelResult Result, BroadcastRecord? Record)> CancelAsync(string id, CancellationToken ct)
    {
        var result = CancelResult.NotFound;
        var record = await broadcasts.UpdateAsync(id, r =>
        {
            if (BroadcastStatus.IsFinished(r.Status))
            {
                result = CancelResult.AlreadyFinished;
                return false;
            }
            result = CancelResult.Canceling;
            if (r.Status == BroadcastStatus.Canceling) return false;
            var now = time.GetUtcNow();
            var started = r.StartedAt is not null;
            r.Status = BroadcastStatus.Canceling;
            r.CanceledAt = now;
            // Not started yet: nothing was or will be sent, so every recipient is canceled now.
            if (!started) r.Finish(new Tally(Canceled: r.Definition.TotalRecipients), now);
            return true;
        }, ct);
        if (result != CancelResult.Canceling) return (result, record);

        cancels.MarkCanceled(id);
        log.BroadcastCanceled(id);
        // Other instances sending it see the cancel through the notice; a repeated cancel writes it again.
        if (record is { StartedAt: not null }) await broadcasts.NoteCancelAsync(id, ct);
        try
        {
            await instances.RaiseCancelAsync(id, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The mark is what stops the sends; the event only ends its waits sooner (a timer, the messaging limit).
            log.LogWarning("Broadcast {Broadcast}: the cancel event was not raised ({Error}); its sends stop at the mark", id, e.Message);
        }
        return (result, await broadcasts.GetAsync(id, ct) ?? record);
    }
}
