using System.Collections.Concurrent;
using Broadcast.Core.Messaging;
using Broadcast.Core.Storage;
using Broadcast.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>
/// A broadcast from start to finish: this product's durable orchestration on Azure Storage queues and tables.
/// <list type="number">
/// <item>Accept: the broadcast's row, then a start work item whose visibility delay is the timer until started_at.</item>
/// <item>Start step: wait out started_at (re-armed past the queue's 7-day limit), mark the broadcast running and fan
///   out one work item per batch of recipients, checkpointing how far it got.</item>
/// <item>Batch step (many at once, in any instance): claim the batch and send it (<see cref="BatchSending"/>: each
///   recipient through its vendor, progress committed as it goes and shown in the counters).</item>
/// <item>Fan-in: each batch is counted once; the last one finishes the broadcast (<see cref="FanIn"/>).</item>
/// </list>
/// Cancel marks the row canceling; every send checks it (<see cref="CancelWatch"/>); batches never enqueued are
/// counted canceled; the broadcast is canceled once every recipient has its final outcome.
/// </summary>
public sealed class BroadcastWorkflow
{
    /// <summary>Queue messages can wait at most 7 days; longer timers are re-armed in hops of this.</summary>
    public static readonly TimeSpan MaxTimerHop = TimeSpan.FromDays(6);

    /// <summary>How early a start item may wake and still be waited out in the step (it is armed a second early).</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromSeconds(3);

    /// <summary>Batch work items enqueued between two checkpoints of the fan-out: a crashed start step redoes at
    /// most this many (their batches are claimed once whatever the duplicates).</summary>
    private const int FanOutChunk = 256;

    /// <summary>Enqueues in flight at once during fan-out: enough to hide storage latency, few enough not to
    /// starve the sends already running.</summary>
    private const int FanOutParallelism = 16;

    /// <summary>Broadcasts this small start on the accepting instance (the fast path): one batch, and sent well
    /// within the visibility timeout at any ordinary rate, so their backstop work items rarely wake while they send.</summary>
    public const int FastPathMaxRecipients = 100;

    private readonly BroadcastStore _broadcasts;
    private readonly BatchStore _batches;
    private readonly BatchSending _sending;
    private readonly IWorkQueue _startQueue;
    private readonly IWorkQueue _batchQueue;
    private readonly FanIn _fanIn;
    private readonly CancelWatch _cancels;
    private readonly WorkSignal _signal;
    private readonly WorkflowOptions _options;
    private readonly TimeProvider _time;
    private readonly FastStart _fastStart;
    private readonly AcceptCommits _accepts;
    private readonly ILogger _log;
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<(string Broadcast, int Batch), byte> _batchesHere = new();

    public BroadcastWorkflow(IStorage storage, StorageNames names, BroadcastStore broadcasts, BatchStore batches, BatchSending sending,
        FanIn fanIn, CancelWatch cancels, WorkSignal signal, FastStart fastStart, AcceptCommits accepts, WorkflowOptions options,
        TimeProvider time, ILogger<BroadcastWorkflow> log)
    {
        _accepts = accepts;
        _fastStart = fastStart;
        _log = log;
        _broadcasts = broadcasts;
        _batches = batches;
        _sending = sending;
        _startQueue = storage.Queue(names.StartQueue);
        _batchQueue = storage.Queue(names.BatchQueue);
        _fanIn = fanIn;
        _cancels = cancels;
        _signal = signal;
        _options = options;
        _time = time;
    }

    // 1. Accept ----------------------------------------------------------------------------------------------

    public async Task<BroadcastRecord> AcceptAsync(BroadcastDefinition definition, CancellationToken ct)
    {
        var record = new BroadcastRecord { Definition = definition with { TraceParent = BroadcastTelemetry.CurrentTraceParent() } };
        var here = _options.FastPath && StartsHere(definition, _time.GetUtcNow()) && _fastStart.TryEnter();
        try
        {
            // Started here: the start item only backs this instance up, so it wakes when a received item would
            // come back had this instance died holding it.
            await _accepts.CommitAsync(record, here ? _options.VisibilityTimeout : TimerDelay(definition.ScheduledAt), ct);
        }
        catch
        {
            if (here) _fastStart.Leave();
            throw;
        }
        BroadcastTelemetry.TagCurrent(definition.Id);
        _log.BroadcastAccepted(definition.Id, definition.TotalRecipients, definition.Provider.Name(), definition.ScheduledAt?.ToString("O") ?? "now");
        if (here)
        {
            var known = BroadcastRecord.FromRow(record.ToRow()); // the caller keeps answering with the record as accepted
            _fastStart.Run(stopping => StartHereAsync(known, stopping));
        }
        return record;
    }

    /// <summary>The start work item becomes visible a second before started_at (queue delays are whole seconds);
    /// the start step waits out the rest to the millisecond.</summary>
    private Task ArmTimerAsync(string id, DateTimeOffset? startAt, CancellationToken ct) =>
        _startQueue.EnqueueAsync(new StartWorkItem(id).ToJson(), TimerDelay(startAt), ct);

    private TimeSpan TimerDelay(DateTimeOffset? startAt)
    {
        var delay = startAt is { } at ? at - _time.GetUtcNow() - TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        if (delay > MaxTimerHop) delay = MaxTimerHop;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    // 1b. Fast path ------------------------------------------------------------------------------------------

    /// <summary>Small and due now: the accepting instance sends it itself, without waiting for a queue poll.</summary>
    private static bool StartsHere(BroadcastDefinition definition, DateTimeOffset now) =>
        (definition.ScheduledAt is null || definition.ScheduledAt <= now) && definition.TotalRecipients <= FastPathMaxRecipients;

    /// <summary>The fast path: this instance fans out and sends a small broadcast right after accepting it. Its
    /// work items are enqueued first, hidden for a visibility timeout, so that if this instance dies they come back
    /// and the broadcast finishes exactly as on the queue path (same claims, same guarantees).</summary>
    private async Task StartHereAsync(BroadcastRecord record, CancellationToken ct)
    {
        var definition = record.Definition;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, definition.BatchCount).Select(batch =>
                _batchQueue.EnqueueAsync(new BatchWorkItem(record.Id, batch).ToJson(), _options.VisibilityTimeout, ct)));
            var running = await _broadcasts.UpdateAsync(record.Id, r =>
            {
                if (r.Status != BroadcastStatus.Scheduled) return false;
                r.Status = BroadcastStatus.Running;
                r.StartedAt = _time.GetUtcNow();
                r.FannedOut = r.Definition.BatchCount;
                return true;
            }, ct, record);
            if (running?.Status != BroadcastStatus.Running) return; // canceled meanwhile: the start item settles it
            _log.BroadcastStarted(record.Id, definition.TotalRecipients, definition.BatchCount);
            await Task.WhenAll(Enumerable.Range(0, definition.BatchCount).Select(async batch =>
            {
                using var span = BroadcastTelemetry.StartStep(BroadcastTelemetry.Spans.BatchStep, record.Id, null, batch);
                await RunBatchAsync(new BatchWorkItem(record.Id, batch), StartedHere.Lease, ct, running);
            }));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _log.LogWarning("Broadcast {Broadcast} could not be sent right away ({Error}); its work items will send it", record.Id, e.Message);
        }
    }

    /// <summary>The fast path's stand-in for a received work item: its first try, renewed by the batch lease.</summary>
    private sealed class StartedHere : IWorkItemLease
    {
        public static readonly StartedHere Lease = new();
        public int DequeueCount => 1;
        public Task RenewAsync(CancellationToken ct) => Task.CompletedTask;
    }

    // 2. Timer and fan-out -----------------------------------------------------------------------------------

    /// <returns>False when the start item had been tried too often and the broadcast's unsent batches failed.</returns>
    public async Task<bool> RunStartAsync(StartWorkItem item, IWorkItemLease lease, CancellationToken ct)
    {
        if (lease.DequeueCount > _options.MaxDequeueCount)
        {
            await FailStartAsync(item, $"could not start after {lease.DequeueCount - 1} tries", ct);
            _log.StartGivenUp(item.BroadcastId, lease.DequeueCount - 1);
            return false;
        }
        await StartAsync(item, lease, ct);
        return true;
    }

    private async Task StartAsync(StartWorkItem item, IWorkItemLease lease, CancellationToken ct)
    {
        var record = await _broadcasts.GetAsync(item.BroadcastId, ct);
        if (record is null) return;
        if (BroadcastStatus.IsFinished(record.Status)) return;
        if (record.Status == BroadcastStatus.Canceling)
        {
            if (lease.DequeueCount > 1) await EnqueueFirstChunkAsync(record, ct); // they end canceled
            await _broadcasts.UpdateAsync(record.Id, r => r.CancelUnfanned(_time.GetUtcNow()), ct);
            return;
        }

        if (record.Status == BroadcastStatus.Scheduled && record.Definition.ScheduledAt is { } startAt)
        {
            var wait = startAt - _time.GetUtcNow();
            // The timer wakes a second early (whole-second queue delays, poll jitter): up to this much is waited
            // out here; more means a hop of a long timer, so it sleeps again.
            if (wait > TimerSlack)
            {
                await ArmTimerAsync(record.Id, startAt, ct);
                return;
            }
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct);
        }

        // One write marks it running and its first chunk fanned out; that chunk's work items go right after. Should
        // they not (a crash, storage failing), the start item comes back, and a start item tried again sends the
        // first chunk's items again: a batch runs once whatever the copies, and one already counted is skipped.
        var first = Math.Min(FanOutChunk, record.Definition.BatchCount);
        var startedNow = false;
        record = await _broadcasts.UpdateAsync(record.Id, r =>
        {
            startedNow = false;
            if (r.Status != BroadcastStatus.Scheduled) return false;
            r.Status = BroadcastStatus.Running;
            r.StartedAt = _time.GetUtcNow();
            r.FannedOut = Math.Max(r.FannedOut, first);
            return startedNow = true;
        }, ct, record);
        if (record is null) return;
        if (startedNow) _log.BroadcastStarted(record.Id, record.Definition.TotalRecipients, record.Definition.BatchCount);
        if (startedNow || (lease.DequeueCount > 1 && BroadcastStatus.IsActive(record.Status))) await EnqueueFirstChunkAsync(record, ct);

        var definition = record.Definition;
        var next = record.FannedOut;
        while (record is not null && BroadcastStatus.IsActive(record.Status) && next < definition.BatchCount)
        {
            var end = Math.Min(next + FanOutChunk, definition.BatchCount);
            await EnqueueBatchesAsync(record.Id, Enumerable.Range(next, end - next), ct);
            record = await _broadcasts.UpdateAsync(record.Id, r =>
            {
                r.FannedOut = Math.Max(r.FannedOut, end);
                return true;
            }, ct);
            next = end;
            await lease.RenewAsync(ct);
        }
        if (record?.Status == BroadcastStatus.Canceling)
            await _broadcasts.UpdateAsync(record.Id, r => r.CancelUnfanned(_time.GetUtcNow()), ct);
    }

    private Task EnqueueFirstChunkAsync(BroadcastRecord record, CancellationToken ct) =>
        EnqueueBatchesAsync(record.Id, Enumerable.Range(0, Math.Min(FanOutChunk, record.FannedOut)).Where(b => !record.IsCounted(b)), ct);

    private async Task EnqueueBatchesAsync(string id, IEnumerable<int> batches, CancellationToken ct)
    {
        await Parallel.ForEachAsync(batches,
            new ParallelOptions { MaxDegreeOfParallelism = FanOutParallelism, CancellationToken = ct },
            async (batch, c) => await _batchQueue.EnqueueAsync(new BatchWorkItem(id, batch).ToJson(), TimeSpan.Zero, c));
        _signal.Notify();
    }

    /// <summary>The start work item kept failing: what was not fanned out fails, with the reason, rather than hang.</summary>
    private async Task FailStartAsync(StartWorkItem item, string reason, CancellationToken ct)
    {
        await _broadcasts.UpdateAsync(item.BroadcastId, r =>
        {
            if (r.FannedOut >= r.Definition.BatchCount) return false;
            var now = _time.GetUtcNow();
            r.Error = reason;
            for (var b = r.FannedOut; b < r.Definition.BatchCount; b++) r.Count(b, new Tally(Failed: r.Definition.CountOf(b)), now);
            r.FannedOut = r.Definition.BatchCount;
            return true;
        }, ct);
    }

    // 3. A batch ---------------------------------------------------------------------------------------------

    public async Task RunBatchAsync(BatchWorkItem item, IWorkItemLease lease, CancellationToken ct, BroadcastRecord? known = null)
    {
        var record = known ?? await _broadcasts.GetAsync(item.BroadcastId, ct);
        if (record is null || record.IsCounted(item.Batch)) return;

        var now = _time.GetUtcNow();
        // The batch lease is this process's; a duplicate work item (a redone fan-out, a fast path's backstop, a
        // cancel's wake-up) received while the batch runs here must not claim it a second time and send it again.
        if (!_batchesHere.TryAdd((record.Id, item.Batch), 0)) throw new WorkItemBusyException(now + _options.VisibilityTimeout);
        try
        {
            var (batch, heldUntil) = await _batches.ClaimAsync(record.Id, item.Batch, _owner, now, now + _options.VisibilityTimeout, ct);
            if (batch is null) throw new WorkItemBusyException(heldUntil);

            if (!batch.Done && await _sending.RunAsync(record, batch, lease, ct) is { } resumesAt)
            {
                await WaitForWindowAsync(item, resumesAt, ct);
                return;
            }

            // 4. Fan-in: the batch counts once, whoever finishes it; the last one finishes the broadcast.
            await _fanIn.CountAsync(record.Id, item.Batch, batch.Tally(), record);
        }
        finally
        {
            _batchesHere.TryRemove((record.Id, item.Batch), out _);
        }
    }

    /// <summary>Some recipients wait for the messaging limit's window: what was sent is committed and the batch let
    /// go (<see cref="BatchSending"/>); its work item comes back at <paramref name="resumesAt"/> (a new queue message:
    /// waiting burns no try).</summary>
    private async Task WaitForWindowAsync(BatchWorkItem item, DateTimeOffset resumesAt, CancellationToken ct)
    {
        await _broadcasts.UpdateAsync(item.BroadcastId, r =>
        {
            if (!BroadcastStatus.IsActive(r.Status)) return false;
            var sooner = r.Status == BroadcastStatus.Waiting && r.ResumesAt is { } other && other < resumesAt && other > _time.GetUtcNow();
            r.Status = BroadcastStatus.Waiting;
            if (!sooner) r.ResumesAt = resumesAt;
            return true;
        }, ct);
        // Queue delays are whole seconds: one more, so the window has surely moved when it comes back.
        var delay = resumesAt - _time.GetUtcNow() + TimeSpan.FromSeconds(1);
        await _batchQueue.EnqueueAsync(item.ToJson(), delay > MaxTimerHop ? MaxTimerHop : delay < TimeSpan.Zero ? TimeSpan.Zero : delay, ct);
    }

    // Cancel -------------------------------------------------------------------------------------------------

    public enum CancelResult { NotFound, AlreadyFinished, Canceling }

    /// <summary>Marks the broadcast canceling (canceled_at is now): no send starts after this in this process, nor
    /// after a <see cref="CancelWatch.RefreshEvery"/> in others. It becomes canceled when every recipient has its
    /// final outcome; at once for a broadcast that never started. A cancel while canceling answers the same.</summary>
    public async Task<(CancelResult Result, BroadcastRecord? Record)> CancelAsync(string id, CancellationToken ct)
    {
        var result = CancelResult.NotFound;
        var wasWaiting = false;
        var record = await _broadcasts.UpdateAsync(id, r =>
        {
            wasWaiting = r.Status == BroadcastStatus.Waiting;
            if (BroadcastStatus.IsFinished(r.Status))
            {
                result = CancelResult.AlreadyFinished;
                return false;
            }
            result = CancelResult.Canceling;
            if (r.Status == BroadcastStatus.Canceling) return false;
            var now = _time.GetUtcNow();
            r.Status = BroadcastStatus.Canceling;
            r.CanceledAt = now;
            // Not started yet: no worker will ever see its batches, so they are counted canceled now.
            if (r.FannedOut == 0 && r.StartedAt is null) r.CancelUnfanned(now);
            return true;
        }, ct);
        if (result == CancelResult.Canceling)
        {
            _cancels.MarkCanceled(id);
            _log.BroadcastCanceled(id);
            // Other instances sending it see the cancel through the notice; a repeated cancel writes it again.
            if (record is { StartedAt: not null }) await _broadcasts.NoteCancelAsync(id, ct);
        }
        if (result == CancelResult.Canceling && wasWaiting && record is not null) await WakeWaitingBatchesAsync(record, ct);
        return (result, record);
    }

    /// <summary>Batches waiting for the messaging limit would only see the cancel when their window moves (up to a
    /// day): each uncounted batch gets a work item now, which ends its recipients canceled. A batch that was not
    /// waiting simply finds its work item a duplicate.</summary>
    private Task WakeWaitingBatchesAsync(BroadcastRecord record, CancellationToken ct) =>
        EnqueueBatchesAsync(record.Id, Enumerable.Range(0, record.FannedOut).Where(b => !record.IsCounted(b)), ct);
}
