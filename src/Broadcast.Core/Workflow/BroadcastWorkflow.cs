using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Suppressions;
using Broadcast.Core.Vendors;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>
/// A broadcast from start to finish: this product's durable orchestration on Azure Storage queues and tables.
/// <list type="number">
/// <item>Accept: the broadcast's row, then a start work item whose visibility delay is the timer until started_at.</item>
/// <item>Start step: wait out started_at (re-armed past the queue's 7-day limit), mark the broadcast running and fan
///   out one work item per batch of recipients, checkpointing how far it got.</item>
/// <item>Batch step (many at once, in any instance): claim the batch, send each recipient through its vendor
///   (the activity, <see cref="VendorSender"/>), and commit every outcome of the batch in one write.</item>
/// <item>Fan-in: each batch is counted once; the last one closes the broadcast (<see cref="FanIn"/>).</item>
/// </list>
/// Cancel flips the row; every send checks it (<see cref="CancelWatch"/>); batches never enqueued are counted canceled.
/// </summary>
public sealed class BroadcastWorkflow
{
    /// <summary>Queue messages can wait at most 7 days; longer timers are re-armed in hops of this.</summary>
    public static readonly TimeSpan MaxTimerHop = TimeSpan.FromDays(6);

    private const int FanOutChunk = 256;
    private const int AtMostOnceWave = 16;

    /// <summary>How often a batch in progress commits what it has sent so far.</summary>
    public static readonly TimeSpan CommitEvery = TimeSpan.FromMilliseconds(500);

    private readonly BroadcastStore _broadcasts;
    private readonly BatchStore _batches;
    private readonly RecipientSetReader _recipients;
    private readonly IWorkQueue _startQueue;
    private readonly IWorkQueue _batchQueue;
    private readonly VendorRegistry _vendors;
    private readonly VendorSender _sender;
    private readonly FanIn _fanIn;
    private readonly CancelWatch _cancels;
    private readonly WorkSignal _signal;
    private readonly SuppressionList _suppressions;
    private readonly MessageIndex _index;
    private readonly WorkflowOptions _options;
    private readonly ILogger _log;
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public BroadcastWorkflow(IStorage storage, StorageNames names, BroadcastStore broadcasts, BatchStore batches,
        RecipientSetReader recipients, VendorRegistry vendors, VendorSender sender, FanIn fanIn, CancelWatch cancels,
        WorkSignal signal, SuppressionList suppressions, MessageIndex index, WorkflowOptions options, ILogger<BroadcastWorkflow> log)
    {
        _broadcasts = broadcasts;
        _batches = batches;
        _recipients = recipients;
        _startQueue = storage.Queue(names.StartQueue);
        _batchQueue = storage.Queue(names.BatchQueue);
        _vendors = vendors;
        _sender = sender;
        _fanIn = fanIn;
        _cancels = cancels;
        _signal = signal;
        _suppressions = suppressions;
        _index = index;
        _options = options;
        _log = log;
    }

    // 1. Accept ----------------------------------------------------------------------------------------------

    public async Task<BroadcastRecord> AcceptAsync(BroadcastDefinition definition, CancellationToken ct)
    {
        var record = new BroadcastRecord { Definition = definition };
        await _broadcasts.InsertAsync(record, ct);
        await ArmTimerAsync(definition.Id, definition.ScheduledAt, ct);
        return record;
    }

    /// <summary>The start work item becomes visible a second before started_at (queue delays are whole seconds);
    /// the start step waits out the rest to the millisecond.</summary>
    private Task ArmTimerAsync(string id, DateTimeOffset? startAt, CancellationToken ct)
    {
        var delay = startAt is { } at ? at - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        if (delay > MaxTimerHop) delay = MaxTimerHop;
        return _startQueue.EnqueueAsync(new StartWorkItem(id).ToJson(), delay < TimeSpan.Zero ? TimeSpan.Zero : delay, ct);
    }

    // 2. Timer and fan-out -----------------------------------------------------------------------------------

    public async Task RunStartAsync(StartWorkItem item, IWorkItemLease lease, CancellationToken ct)
    {
        var record = await _broadcasts.GetAsync(item.BroadcastId, ct);
        if (record is null) return;
        if (record.Status == BroadcastStatus.Canceled)
        {
            await _broadcasts.UpdateAsync(record.Id, r => r.CancelUnfanned(DateTimeOffset.UtcNow), ct);
            return;
        }
        if (BroadcastStatus.IsFinished(record.Status)) return;

        if (record.Status == BroadcastStatus.Scheduled && record.Definition.ScheduledAt is { } startAt)
        {
            var wait = startAt - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.FromSeconds(3))
            {
                await ArmTimerAsync(record.Id, startAt, ct); // woke early (a hop of a long timer): sleep again
                return;
            }
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        }

        record = await _broadcasts.UpdateAsync(record.Id, r =>
        {
            if (r.Status != BroadcastStatus.Scheduled) return false;
            r.Status = BroadcastStatus.Running;
            r.StartedAt = DateTimeOffset.UtcNow;
            return true;
        }, ct);
        if (record is null) return;

        var definition = record.Definition;
        var next = record.FannedOut;
        while (record is not null && record.Status == BroadcastStatus.Running && next < definition.BatchCount)
        {
            var end = Math.Min(next + FanOutChunk, definition.BatchCount);
            await Parallel.ForEachAsync(Enumerable.Range(next, end - next),
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
                async (batch, c) => await _batchQueue.EnqueueAsync(new BatchWorkItem(record.Id, batch).ToJson(), TimeSpan.Zero, c));
            _signal.Notify();
            record = await _broadcasts.UpdateAsync(record.Id, r =>
            {
                r.FannedOut = Math.Max(r.FannedOut, end);
                return true;
            }, ct);
            next = end;
            await lease.RenewAsync(ct);
        }
        if (record?.Status == BroadcastStatus.Canceled)
            await _broadcasts.UpdateAsync(record.Id, r => r.CancelUnfanned(DateTimeOffset.UtcNow), ct);
    }

    /// <summary>The start work item kept failing: what was not fanned out fails, with the reason, rather than hang.</summary>
    public async Task FailStartAsync(StartWorkItem item, string reason, CancellationToken ct)
    {
        await _broadcasts.UpdateAsync(item.BroadcastId, r =>
        {
            if (r.FannedOut >= r.Definition.BatchCount) return false;
            var now = DateTimeOffset.UtcNow;
            r.Error = reason;
            for (var b = r.FannedOut; b < r.Definition.BatchCount; b++) r.Count(b, new Tally(Failed: r.Definition.CountOf(b)), now);
            r.FannedOut = r.Definition.BatchCount;
            return true;
        }, ct);
    }

    // 3. A batch ---------------------------------------------------------------------------------------------

    public async Task RunBatchAsync(BatchWorkItem item, IWorkItemLease lease, CancellationToken ct)
    {
        var record = await _broadcasts.GetAsync(item.BroadcastId, ct);
        if (record is null || record.IsCounted(item.Batch)) return;
        var definition = record.Definition;

        var now = DateTimeOffset.UtcNow;
        var (batch, heldUntil) = await _batches.ClaimAsync(definition.Id, item.Batch, _owner, now, now + _options.VisibilityTimeout, ct);
        if (batch is null) throw new WorkItemBusyException(heldUntil);

        if (!batch.Done)
        {
            ResumeOutcomes(batch, definition.CountOf(item.Batch), definition.Delivery);

            if (lease.DequeueCount > _options.MaxDequeueCount)
                Finish(batch, RecipientStatus.Failed, $"gave up after {lease.DequeueCount - 1} tries of this batch: {batch.LastError ?? "its worker stopped each time"}");
            else if (record.Status == BroadcastStatus.Canceled)
                Finish(batch, RecipientStatus.Canceled, null);
            else
            {
                var recipients = await ReadRecipientsAsync(definition, batch, ct);
                await SkipSuppressedAsync(definition, batch, recipients, ct);
                await SendBatchAsync(record, batch, recipients, lease, ct);
                await IndexSentAsync(definition, batch, recipients, ct);
            }

            batch.Done = true;
            await _batches.SaveAsync(batch, ct); // the group commit: every outcome of the batch in one write
        }

        // 4. Fan-in: the batch counts once, whoever finishes it.
        await _fanIn.CountAsync(definition.Id, item.Batch, batch.Tally());
    }

    private async Task<IReadOnlyList<Recipient>> ReadRecipientsAsync(BroadcastDefinition definition, BatchRecord batch, CancellationToken ct)
    {
        try
        {
            var recipients = await _recipients.ReadPagesAsync(definition.Recipients, batch.Batch * definition.PagesPerBatch, definition.PagesPerBatch, ct);
            if (recipients.Count != batch.Outcomes.Length) throw new InvalidDataException($"the recipient list has {recipients.Count} recipients for batch {batch.Batch}, not {batch.Outcomes.Length}");
            return recipients;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordFailureAsync(batch, e.Message, ct);
            throw;
        }
    }

    /// <summary>Keeps the reason a try failed, for the give-up message of the last try.</summary>
    private async Task RecordFailureAsync(BatchRecord batch, string error, CancellationToken ct)
    {
        batch.LastError = error;
        try { await _batches.SaveAsync(batch, ct); }
        catch (Exception) { /* the lease is gone or storage is down: the reason is lost, the retry is not */ }
    }

    /// <summary>What a worker that died mid-batch left behind: recipients marked "sending" may have reached the
    /// vendor. at_most_once never resends them (unknown); at_least_once sends them again.</summary>
    private static void ResumeOutcomes(BatchRecord batch, int count, DeliveryGuarantee delivery)
    {
        if (batch.Outcomes.Length != count)
            batch.Outcomes = Enumerable.Repeat(RecipientOutcome.Queued, count).ToArray();
        for (var i = 0; i < count; i++)
        {
            if (batch.Outcomes[i].Status != RecipientStatus.Sending) continue;
            batch.Outcomes[i] = delivery == DeliveryGuarantee.AtMostOnce
                ? batch.Outcomes[i] with { Status = RecipientStatus.Unknown, Error = "in flight when its worker stopped; not resent (at_most_once)" }
                : batch.Outcomes[i] with { Status = RecipientStatus.Queued };
        }
    }

    /// <summary>Numbers that asked to stop are never sent to (groups are not numbers).</summary>
    private async Task SkipSuppressedAsync(BroadcastDefinition definition, BatchRecord batch, IReadOnlyList<Recipient> recipients, CancellationToken ct)
    {
        if (definition.IsGroup) return;
        var suppressed = await _suppressions.CurrentAsync(ct);
        if (suppressed.Count == 0) return;
        for (var i = 0; i < recipients.Count; i++)
            if (batch.Outcomes[i].Status == RecipientStatus.Queued && suppressed.Contains(recipients[i].Phone))
                batch.Outcomes[i] = new RecipientOutcome(RecipientStatus.Suppressed, Error: "on the suppression list");
    }

    /// <summary>Lets delivery and read callbacks find these messages, before the batch is committed done (a retry
    /// of the batch writes them again).</summary>
    private Task IndexSentAsync(BroadcastDefinition definition, BatchRecord batch, IReadOnlyList<Recipient> recipients, CancellationToken ct)
    {
        if (!MessageIndex.Needed(definition.Provider) || definition.IsGroup) return Task.CompletedTask;
        var sent = Enumerable.Range(0, recipients.Count)
            .Where(i => batch.Outcomes[i].Status == RecipientStatus.Sent)
            .Select(i => (recipients[i].Phone, definition.NativeBulk ? null : batch.Outcomes[i].ProviderMessageId, new MessageLocation(definition.Id, batch.Batch, i)));
        return _index.RecordAsync(definition.Provider, sent, ct);
    }

    private static void Finish(BatchRecord batch, string status, string? error)
    {
        for (var i = 0; i < batch.Outcomes.Length; i++)
            if (!RecipientStatus.IsTerminal(batch.Outcomes[i].Status))
                batch.Outcomes[i] = batch.Outcomes[i] with { Status = status, Error = error };
    }

    private async Task SendBatchAsync(BroadcastRecord record, BatchRecord batch, IReadOnlyList<Recipient> recipients,
        IWorkItemLease lease, CancellationToken ct)
    {
        var definition = record.Definition;
        var vendor = _vendors[definition.Provider];
        if (!vendor.Options.IsConfigured)
        {
            Finish(batch, RecipientStatus.Failed, $"{definition.Provider.Name()} is not configured: {string.Join(", ", vendor.Options.MissingSettings)}");
            return;
        }
        var channelKey = vendor.ChannelKey(definition.Channel);
        using var watch = _cancels.Watch(definition.Id, canceledNow: false);
        bool Canceled() => _cancels.IsCanceled(definition.Id);

        using var working = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var writer = new SemaphoreSlim(1, 1);
        var progress = 0; // outcomes recorded in memory
        var saved = 0;    // ... of which committed
        async Task CheckpointAsync()
        {
            await writer.WaitAsync(working.Token);
            try
            {
                var now = Volatile.Read(ref progress);
                batch.LeaseUntil = DateTimeOffset.UtcNow + _options.VisibilityTimeout;
                // Not cancelable half-way: a write that lands unseen would leave us holding a stale ETag.
                await _batches.SaveAsync(batch, ct);
                saved = now;
            }
            finally
            {
                writer.Release();
            }
        }
        var renewal = KeepCommittingAsync(lease, CheckpointAsync, () => Volatile.Read(ref progress) != saved, working, ct);
        Exception? failure = null;

        try
        {
            var pending = Enumerable.Range(0, recipients.Count).Where(i => batch.Outcomes[i].Status == RecipientStatus.Queued).ToList();
            var bulk = definition.NativeBulk && vendor.BulkSize > 0;
            var groupSize = bulk ? vendor.BulkSize : definition.Delivery == DeliveryGuarantee.AtMostOnce ? AtMostOnceWave : Math.Max(1, pending.Count);
            foreach (var group in pending.Chunk(groupSize))
            {
                if (definition.Delivery == DeliveryGuarantee.AtMostOnce)
                {
                    // Write down what is about to go out before it goes: after a crash these end unknown, never resent.
                    foreach (var i in group) batch.Outcomes[i] = batch.Outcomes[i] with { Status = RecipientStatus.Sending };
                    await CheckpointAsync();
                }
                if (bulk)
                {
                    await SendBulkAsync(definition, vendor, channelKey, batch, recipients, group, Canceled, working.Token);
                    Interlocked.Add(ref progress, group.Length);
                }
                else await Task.WhenAll(group.Select(async i =>
                {
                    var request = new SendRequest(definition.DisplayName, definition.Content, definition.Channel, definition.IsGroup, recipients[i], definition.VariableNames);
                    batch.Outcomes[i] = await _sender.SendAsync(vendor, channelKey, definition.Delivery,
                        c => vendor.SendAsync(request, c), Canceled, batch.Outcomes[i].Attempts, working.Token);
                    Interlocked.Increment(ref progress);
                }));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            failure = e;
        }
        finally
        {
            await working.CancelAsync();
            await renewal; // no checkpoint may race the failure record below
        }

        if (failure is null) return;
        _log.LogWarning("Batch {Batch} of broadcast {Broadcast} failed: {Error}", batch.Batch, definition.Id, failure.Message);
        if (failure is not StoragePreconditionFailedException) await RecordFailureAsync(batch, failure.Message, ct);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    private async Task SendBulkAsync(BroadcastDefinition definition, IVendorClient vendor, string channelKey, BatchRecord batch,
        IReadOnlyList<Recipient> recipients, int[] group, Func<bool> canceled, CancellationToken ct)
    {
        var request = new BulkSendRequest(definition.DisplayName, definition.Content, definition.Channel,
            group.Select(i => recipients[i]).ToList(), definition.VariableNames);
        var outcome = await _sender.SendAsync(vendor, channelKey, definition.Delivery,
            async c => (await vendor.SendBulkAsync(request, c))[0], canceled, batch.Outcomes[group[0]].Attempts, ct);
        foreach (var i in group) batch.Outcomes[i] = outcome;
    }

    /// <summary>While a batch is being sent: commits its progress every <see cref="CommitEvery"/> when there is
    /// some (so that a crash repeats only what was in flight, not the whole batch), and keeps the work item and the
    /// batch lease alive. If another worker has taken the batch over, stops this one.</summary>
    private async Task KeepCommittingAsync(IWorkItemLease lease, Func<Task> checkpoint, Func<bool> hasProgress, CancellationTokenSource working,
        CancellationToken ct)
    {
        var renewEvery = _options.VisibilityTimeout / 3;
        var lastRenewal = DateTime.UtcNow;
        try
        {
            while (true)
            {
                await Task.Delay(CommitEvery, working.Token);
                var renew = DateTime.UtcNow - lastRenewal >= renewEvery;
                if (renew)
                {
                    await lease.RenewAsync(ct);
                    lastRenewal = DateTime.UtcNow;
                }
                if (renew || hasProgress()) await checkpoint();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _log.LogWarning("Lost the lease of a batch ({Error}); stopping its sends", e.Message);
            await working.CancelAsync();
        }
    }

    // Cancel -------------------------------------------------------------------------------------------------

    public enum CancelResult { NotFound, AlreadyFinished, Canceled }

    public async Task<(CancelResult Result, BroadcastRecord? Record)> CancelAsync(string id, CancellationToken ct)
    {
        var result = CancelResult.NotFound;
        var record = await _broadcasts.UpdateAsync(id, r =>
        {
            if (BroadcastStatus.IsFinished(r.Status))
            {
                result = CancelResult.AlreadyFinished;
                return false;
            }
            result = CancelResult.Canceled;
            var now = DateTimeOffset.UtcNow;
            r.Status = BroadcastStatus.Canceled;
            r.CanceledAt = now;
            // Not started yet: no worker will ever see its batches, so they are counted canceled now.
            if (r.FannedOut == 0 && r.StartedAt is null) r.CancelUnfanned(now);
            return true;
        }, ct);
        if (result == CancelResult.Canceled) _cancels.MarkCanceled(id);
        return (result, record);
    }
}
