using System.Collections.Concurrent;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Campaigns;
using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Suppressions;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Vendors;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>What a batch activity does (<see cref="SendBatchActivity"/>; <see cref="BroadcastOrchestration"/> tells the
/// story): pick up what a stopped run left, skip suppressed numbers, apply the messaging limit, send each recipient
/// through <see cref="VendorSender"/>, commit progress as it goes and report it to the counters
/// (<see cref="ProgressReports"/>), and commit the batch done.</summary>
public sealed class BatchSending(
    BroadcastStore broadcasts, BatchStore batches, RecipientSetReader recipientSets, VendorRegistry vendors, VendorSender sender,
    ProgressReports progress, CancelWatch cancels, SuppressionList suppressions, MessageIndex index, RecipientWindow messagingLimit,
    AtMostOnceWindow atMostOnce, SpeedCaps speedCaps, WorkflowOptions options, TimeProvider time, ILogger<BatchSending> log)
{
    /// <summary>How often a batch in progress commits what it has sent so far: a crash repeats (at_least_once) at
    /// most this much sending, and the counters see it one <see cref="ProgressReports.ProgressEvery"/> later.</summary>
    public static readonly TimeSpan CommitEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>at_most_once marks this many recipients "sending" per write: one storage write per 16 sends, and
    /// two batches' waves fill the default 32 concurrent calls of a channel.</summary>
    private const int AtMostOnceWave = 16;

    /// <summary>The batches this process is sending: one run of a batch at a time here (the fast path and its
    /// orchestration's activity, or an activity delivered again while its first run goes on), the next one waiting.</summary>
    private readonly ConcurrentDictionary<(string Broadcast, int Batch), Task> _running = new();

    /// <summary>This app instance, on the batch rows it runs: process and host, never anything secret.</summary>
    public string RunBy { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>One run of a batch, from claim to answer: whoever calls it (an activity, the fast path), the batch's
    /// row decides what is left to send, so a batch run twice sends nobody twice beyond what was in flight.</summary>
    public async Task<BatchOutcome> SendBatchAsync(BroadcastRecord record, int batchNumber, CancellationToken ct)
    {
        var key = (record.Id, batchNumber);
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (!_running.TryAdd(key, mine.Task))
        {
            if (_running.TryGetValue(key, out var other)) await other.WaitAsync(ct);
        }
        try
        {
            var batch = await batches.ClaimAsync(record.Id, batchNumber, RunBy, ct);
            if (!batch.Done && await RunAsync(record, batch, ct) is { } resumesAt)
            {
                await broadcasts.MarkWaitingAsync(record.Id, resumesAt, ct);
                // Held past expires_at, the batch runs again at expires_at, to end what is left expired.
                var wakeAt = record.Definition.Run.ExpiresAt is { } expiresAt && expiresAt < resumesAt ? expiresAt : resumesAt;
                return new BatchOutcome(batch.Tally(), wakeAt.UtcDateTime, wakeAt - time.GetUtcNow());
            }
            await progress.ReportFinalAsync(record.Id, batchNumber, batch.Tally());
            return new BatchOutcome(batch.Tally());
        }
        finally
        {
            _running.TryRemove(key, out _);
            mine.SetResult();
        }
    }

    /// <summary>Sends the batch's recipients that have no outcome yet and commits the batch done; or, when the
    /// messaging limit holds some back, commits what was sent, lets the batch go and answers when it may go on.</summary>
    public async Task<DateTimeOffset?> RunAsync(BroadcastRecord record, BatchRecord batch, CancellationToken ct)
    {
        var definition = record.Definition;
        ResumeOutcomes(batch, definition.CountOf(batch.Batch), definition.Delivery);

        if (batch.Tries > options.MaxDequeueCount)
        {
            Finish(batch, RecipientStatus.Failed, GaveUp(batch.Tries - 1, batch.LastError));
            log.BatchGivenUp(definition.Id, batch.Batch, batch.Tries - 1, batch.LastError ?? StoppedEachTime);
        }
        else if (BroadcastStatus.IsCancelRequested(record.Status))
            Finish(batch, RecipientStatus.Canceled, null);
        else if (IsExpired(definition))
            Finish(batch, RecipientStatus.Expired, ExpiredError);
        else
        {
            var recipients = await ReadRecipientsAsync(definition, batch, ct);
            await SkipSuppressedAsync(definition, batch, recipients, ct);
            // Outside the delivery window nothing goes (nor counts against the messaging limit) until it opens.
            var closedUntil = definition.Run.Window?.ClosedUntil(time.GetUtcNow(), definition.Zone);
            var admission = closedUntil is { } opens ? HoldAll(batch, opens) : await AdmitAsync(record, batch, recipients, ct);
            if (admission.Held.Count < batch.Outcomes.Count(o => o.Status == RecipientStatus.Queued)) await ResumeRunningAsync(record, ct);
            var windowClosed = await SendAsync(definition, record.ReadAt, batch, recipients, admission.Held, ct);
            await IndexSentAsync(definition, batch, recipients, ct);
            var resumesAt = admission.ResumesAt;
            if (windowClosed && batch.Outcomes.Any(o => o.Status == RecipientStatus.Queued))
            {
                var next = definition.Run.Window!.NextOpening(time.GetUtcNow(), definition.Zone);
                resumesAt = resumesAt is { } other && other > next ? other : next;
            }
            if (resumesAt is not null && IsExpired(definition))
                Finish(batch, RecipientStatus.Expired, ExpiredError); // expired while it sent: nothing waits any more
            else if (resumesAt is { } wakeAt)
            {
                batch.Tries = 0; // waiting for the messaging limit is not a failed try
                progress.Report(definition.Id, batch.Batch, await batches.SaveAsync(batch, ct));
                return wakeAt;
            }
        }

        batch.Done = true;
        await batches.SaveAsync(batch, ct); // the group commit: every outcome of the batch in one write
        BroadcastMetrics.BatchCommitted(definition, vendors[definition.Provider], batch.Tally());
        BroadcastMetrics.FirstBatchSent(definition, batch);
        return null;
    }

    private const string StoppedEachTime = "its worker stopped each time";

    /// <summary>The error of a recipient not sent by expires_at.</summary>
    public const string ExpiredError = "not sent by expires_at";

    /// <summary>Sends stop this long before expires_at or the delivery window's close: a call that starts then
    /// reaches the vendor before it.</summary>
    public static readonly TimeSpan CallHeadroom = TimeSpan.FromMilliseconds(200);

    private bool IsExpired(BroadcastDefinition definition) =>
        definition.Run.ExpiresAt is { } expiresAt && time.GetUtcNow() + CallHeadroom >= expiresAt;

    private bool WindowClosed(BroadcastDefinition definition) =>
        definition.Run.Window is { } window && !window.IsOpen(time.GetUtcNow() + CallHeadroom, definition.Zone);

    private static Admission HoldAll(BatchRecord batch, DateTimeOffset opens) =>
        new(Enumerable.Range(0, batch.Outcomes.Length).Where(i => batch.Outcomes[i].Status == RecipientStatus.Queued).ToHashSet(), opens);

    /// <summary>A waiting broadcast (the messaging limit, the delivery window) runs again once one of its batches may send.</summary>
    private async Task ResumeRunningAsync(BroadcastRecord record, CancellationToken ct)
    {
        if (record.Status != BroadcastStatus.Waiting) return;
        await broadcasts.UpdateAsync(record.Id, r =>
        {
            if (r.Status != BroadcastStatus.Waiting) return false;
            r.Status = BroadcastStatus.Running;
            r.ResumesAt = null;
            return true;
        }, ct);
    }

    /// <summary>The reason recipients of a batch that could not be sent fail with.</summary>
    public static string GaveUp(int tries, string? lastError) => $"gave up after {tries} tries of this batch: {lastError ?? StoppedEachTime}";

    private async Task<IReadOnlyList<Recipient>> ReadRecipientsAsync(BroadcastDefinition definition, BatchRecord batch, CancellationToken ct)
    {
        try
        {
            var recipients = await recipientSets.ReadPagesAsync(definition.Recipients, batch.Batch * definition.PagesPerBatch, definition.PagesPerBatch, ct);
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
        try { await batches.SaveAsync(batch, ct); }
        catch (Exception) { /* another run took the batch over or storage is down: the reason is lost, the retry is not */ }
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
        var suppressed = await suppressions.CurrentAsync(ct);
        if (suppressed.Count == 0) return;
        for (var i = 0; i < recipients.Count; i++)
            if (batch.Outcomes[i].Status == RecipientStatus.Queued && suppressed.Contains(recipients[i].Phone))
                batch.Outcomes[i] = new RecipientOutcome(RecipientStatus.Suppressed, Error: "on the suppression list");
    }

    /// <summary>Lets delivery and read callbacks find these messages, before the batch is committed done (a retry
    /// of the batch writes them again).</summary>
    /// <remarks>Each message is indexed under the provider that carried it, so a fallback provider's callbacks update
    /// the same recipient.</remarks>
    private async Task IndexSentAsync(BroadcastDefinition definition, BatchRecord batch, IReadOnlyList<Recipient> recipients, CancellationToken ct)
    {
        if (definition.IsGroup) return;
        var byProvider = Enumerable.Range(0, recipients.Count)
            .Where(i => batch.Outcomes[i].Status == RecipientStatus.Sent)
            .GroupBy(i => batch.Outcomes[i].Provider is { } p && Providers.TryParse(p, out var carrier) ? carrier : definition.Provider);
        foreach (var group in byProvider)
        {
            if (!vendors[group.Key].Capabilities.StatusCallbacks) continue;
            await index.RecordAsync(group.Key, group.Select(i => (recipients[i].Phone, definition.NativeBulk ? null : batch.Outcomes[i].ProviderMessageId,
                new MessageLocation(definition.Id, batch.Batch, i))), ct);
        }
    }

    /// <summary>The channel's messaging limit (DailyRecipientLimit): which queued recipients may go now. A broadcast
    /// that was waiting runs again as soon as one of its batches may send.</summary>
    private async Task<Admission> AdmitAsync(BroadcastRecord record, BatchRecord batch, IReadOnlyList<Recipient> recipients, CancellationToken ct)
    {
        var definition = record.Definition;
        var vendor = vendors[definition.Provider];
        if (vendor.Options.DailyRecipientLimit is not ({ } limit and > 0) || definition.IsGroup || !vendor.Options.IsConfigured)
            return Admission.Everyone;
        var pending = Enumerable.Range(0, recipients.Count).Where(i => batch.Outcomes[i].Status == RecipientStatus.Queued)
            .Select(i => (i, recipients[i].Phone)).ToList();
        return await messagingLimit.AdmitAsync(vendor.ChannelKey(definition.Channel), limit, vendor.Options.DailyRecipientWindow, pending, ct);
    }

    /// <summary>Ends every recipient without an outcome with <paramref name="status"/>.</summary>
    public static void Finish(BatchRecord batch, string status, string? error)
    {
        for (var i = 0; i < batch.Outcomes.Length; i++)
            if (!RecipientStatus.IsTerminal(batch.Outcomes[i].Status))
                batch.Outcomes[i] = batch.Outcomes[i] with { Status = status, Error = error };
    }

    /// <summary>Sends what may go now; answers true when the delivery window closed half-way (those left are queued).</summary>
    private async Task<bool> SendAsync(BroadcastDefinition definition, long recordReadAt, BatchRecord batch, IReadOnlyList<Recipient> recipients,
        IReadOnlySet<int> held, CancellationToken ct)
    {
        var vendor = vendors[definition.Provider];
        if (!vendor.Options.IsConfigured)
        {
            Finish(batch, RecipientStatus.Failed, $"{definition.Provider.Name()} is not configured: {string.Join(", ", vendor.Options.MissingSettings)}");
            log.VendorNotConfigured(definition.Id, definition.Provider.Name(), string.Join(", ", vendor.Options.MissingSettings));
            return false;
        }
        var channelKey = vendor.ChannelKey(definition.Channel);
        using var watch = cancels.Watch(definition.Id, recordReadAt);
        var windowClosed = false;
        bool Canceled() => cancels.IsCanceled(definition.Id);
        // Looked at right before every vendor call (the sender checks it holding the channel's slot): a cancel, the
        // expiry, or the window closing stops what has not gone out.
        bool Stopped()
        {
            if (Canceled() || IsExpired(definition)) return true;
            if (WindowClosed(definition)) windowClosed = true;
            return windowClosed;
        }
        // A send the sender stopped is canceled; when the expiry or the window stopped it, it ends expired or stays queued.
        RecipientOutcome Settle(RecipientOutcome outcome)
        {
            if (outcome.Status != RecipientStatus.Canceled || Canceled()) return outcome;
            if (IsExpired(definition)) return outcome with { Status = RecipientStatus.Expired, Error = ExpiredError };
            return windowClosed ? new RecipientOutcome(RecipientStatus.Queued, outcome.Attempts) : outcome;
        }

        using var working = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var writer = new SemaphoreSlim(1, 1);
        var done = 0;     // outcomes recorded in memory
        var saved = 0;    // ... of which committed
        async Task CheckpointAsync()
        {
            await writer.WaitAsync(working.Token);
            try
            {
                var now = Volatile.Read(ref done);
                // Not cancelable half-way: a write that lands unseen would leave us holding a stale ETag.
                var tally = await batches.SaveAsync(batch, ct);
                saved = now;
                progress.Report(definition.Id, batch.Batch, tally);
            }
            finally
            {
                writer.Release();
            }
        }
        var renewal = KeepCommittingAsync(CheckpointAsync, () => Volatile.Read(ref done) != saved, working);
        // A capped broadcast's sends wait for their slot (SpeedCaps) only until it stops: looked at every StopLookEvery.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(working.Token);
        var stopWatch = definition.Run.MaxPerMinute is null ? Task.CompletedTask : CancelWhenStoppedAsync(Stopped, stopping);
        Exception? failure = null;
        IDisposable? window = null;

        try
        {
            var pending = Enumerable.Range(0, recipients.Count).Where(i => batch.Outcomes[i].Status == RecipientStatus.Queued && !held.Contains(i)).ToList();
            var bulk = definition.NativeBulk && vendor.BulkSize > 0;
            var markFirst = definition.Delivery == DeliveryGuarantee.AtMostOnce;
            var groupSize = bulk ? vendor.BulkSize : Math.Max(1, pending.Count);
            if (markFirst && !bulk && pending.Count > 0)
            {
                var places = Math.Max(1, vendor.Options.MaxConcurrency);
                groupSize = Math.Min(Math.Min(AtMostOnceWave, places), pending.Count);
                window = await atMostOnce.AcquireAsync(channelKey, places, groupSize, working.Token);
            }
            foreach (var group in pending.Chunk(groupSize))
            {
                if (markFirst)
                {
                    // Write down what is about to go out before it goes: after a crash these end unknown, never resent.
                    // The same write commits the previous wave's outcomes.
                    foreach (var i in group) batch.Outcomes[i] = batch.Outcomes[i] with { Status = RecipientStatus.Sending };
                    await CheckpointAsync();
                }
                if (bulk)
                {
                    await SendBulkAsync(definition, vendor, channelKey, batch, recipients, group, Stopped, Settle, working.Token);
                    Interlocked.Add(ref done, group.Length);
                }
                else await Task.WhenAll(group.Select(async i =>
                {
                    await speedCaps.TurnAsync(definition.Id, definition.Run.MaxPerMinute, stopping.Token); // no turn: Stopped() says so below
                    batch.Outcomes[i] = Settle(await SendOneAsync(definition, vendor, channelKey, recipients[i], batch.Outcomes[i].Attempts, Stopped,
                        stopping.Token, working.Token));
                    Interlocked.Increment(ref done);
                }));
            }
            // The last wave's outcomes are committed before its places go to another batch.
            if (window is not null) await CheckpointAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            failure = e;
        }
        finally
        {
            window?.Dispose();
            await working.CancelAsync();
            await renewal; // no checkpoint may race the failure record below
            await stopWatch;
        }

        if (failure is null) return windowClosed;
        log.BatchFailed(definition.Id, batch.Batch, failure.Message);
        if (failure is not StoragePreconditionFailedException) await RecordFailureAsync(batch, failure.Message, ct);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return windowClosed;
    }

    /// <summary>One recipient through the broadcast's provider and, when that one fails it for good (a refusal, or
    /// still failing after its retries), through each fallback provider in turn. A recipient whose outcome is unknown
    /// (at_most_once: the call may have reached the vendor) or that was canceled never goes on to the next one. Each
    /// fallback send is another message out, so a capped broadcast's takes a turn of its own (until <paramref name="stopping"/>).</summary>
    private async Task<RecipientOutcome> SendOneAsync(BroadcastDefinition definition, IVendorClient vendor, string channelKey, Recipient recipient,
        int attemptsSoFar, Func<bool> canceled, CancellationToken stopping, CancellationToken ct)
    {
        var phone = definition.IsGroup ? null : recipient.Phone;
        var request = new SendRequest(definition.DisplayName, definition.Content, definition.Channel, definition.IsGroup, recipient, definition.VariableNames);
        var outcome = await sender.SendAsync(vendor, channelKey, definition.Delivery, c => vendor.SendAsync(request, c), canceled, attemptsSoFar, ct, phone);
        if (definition.Fallback is not { Count: > 0 } routes) return outcome;

        var tried = new List<ProviderTry> { new(definition.Provider.Name(), outcome.Attempts) };
        var total = outcome.Attempts;
        var carrier = definition.Provider;
        foreach (var route in routes)
        {
            if (outcome.Status != RecipientStatus.Failed || canceled()) break;
            tried[^1] = tried[^1] with { Error = outcome.Error };
            var next = vendors[route.Provider];
            var channel = route.Channel ?? next.ResolveChannel(null);
            var nextRequest = new SendRequest(definition.DisplayName, route.Content, channel, definition.IsGroup, recipient, route.VariableNames ?? definition.VariableNames);
            log.FailingOver(definition.Id, carrier.Name(), route.Provider.Name());
            await speedCaps.TurnAsync(definition.Id, definition.Run.MaxPerMinute, stopping); // no turn: canceled() says so in SendAsync
            outcome = await sender.SendAsync(next, next.ChannelKey(channel), definition.Delivery, c => next.SendAsync(nextRequest, c), canceled, 0, ct, phone);
            tried.Add(new ProviderTry(route.Provider.Name(), outcome.Attempts));
            total += outcome.Attempts;
            carrier = route.Provider;
        }
        if (outcome.Status == RecipientStatus.Failed) tried[^1] = tried[^1] with { Error = outcome.Error };
        return outcome with { Attempts = total, Provider = carrier.Name(), Tried = tried };
    }

    private async Task SendBulkAsync(BroadcastDefinition definition, IVendorClient vendor, string channelKey, BatchRecord batch,
        IReadOnlyList<Recipient> recipients, int[] group, Func<bool> canceled, Func<RecipientOutcome, RecipientOutcome> settle, CancellationToken ct)
    {
        var request = new BulkSendRequest(definition.DisplayName, definition.Content, definition.Channel,
            group.Select(i => recipients[i]).ToList(), definition.VariableNames);
        var outcome = await sender.SendAsync(vendor, channelKey, definition.Delivery,
            async c => (await vendor.SendBulkAsync(request, c))[0], canceled, batch.Outcomes[group[0]].Attempts, ct, recipients: group.Length);
        outcome = settle(outcome);
        foreach (var i in group) batch.Outcomes[i] = outcome;
    }

    /// <summary>How often a capped broadcast's waiting sends look at whether it stopped (canceled, expired, window closed).</summary>
    private static readonly TimeSpan StopLookEvery = TimeSpan.FromMilliseconds(200);

    private async Task CancelWhenStoppedAsync(Func<bool> stopped, CancellationTokenSource stopping)
    {
        try
        {
            while (!stopped()) await Task.Delay(StopLookEvery, time, stopping.Token);
            await stopping.CancelAsync();
        }
        catch (OperationCanceledException)
        {
            // The batch's run ended first.
        }
    }

    /// <summary>While a batch is being sent: commits its progress every <see cref="CommitEvery"/> when there is
    /// some, so that a crash repeats only what was in flight, not the whole batch. If another run of the batch has
    /// written it since (it took the batch over), stops this one.</summary>
    private async Task KeepCommittingAsync(Func<Task> checkpoint, Func<bool> hasProgress, CancellationTokenSource working)
    {
        try
        {
            while (true)
            {
                await Task.Delay(CommitEvery, time, working.Token);
                if (hasProgress()) await checkpoint();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            log.BatchTakenOver(e.Message);
            await working.CancelAsync();
        }
    }
}
