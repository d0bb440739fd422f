using System.Runtime.CompilerServices;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;

namespace Broadcast.Core.Workflow;

/// <summary>Reads a broadcast's log by joining its recipient list (who) with its batch rows (what happened),
/// a batch at a time; recipients of batches not yet sent show as queued.</summary>
public sealed class RecipientLog(BatchStore batches, RecipientSetReader reader, ReceiptStore receipts)
{
    private const int MaxBatchesPerPage = 200;

    public async Task<(IReadOnlyList<RecipientView> Items, string? Continuation)> PageAsync(BroadcastRecord record, string? status,
        int limit, string? continuation, CancellationToken ct)
    {
        var definition = record.Definition;
        var (batch, offset) = ParseContinuation(continuation);
        var items = new List<RecipientView>(limit);
        var scanned = 0;
        while (batch < definition.BatchCount && scanned < MaxBatchesPerPage)
        {
            var rows = await batches.ListAsync(definition.Id, batch, Math.Min(100, definition.BatchCount - batch), ct);
            var byIndex = rows.ToDictionary(r => r.Batch);
            var receipted = await ReceiptsAsync(definition.Id, batch, rows, ct);
            for (var b = batch; b < Math.Min(batch + 100, definition.BatchCount) && scanned < MaxBatchesPerPage; b++, scanned++)
            {
                var outcomes = Outcomes(record, b, byIndex.GetValueOrDefault(b), receipted);
                var matches = Enumerable.Range(0, outcomes.Length).Where(i => i >= offset && (status is null || outcomes[i].Status == status)).ToList();
                if (matches.Count > 0)
                {
                    var recipients = await reader.ReadPagesAsync(definition.Recipients, b * definition.PagesPerBatch, definition.PagesPerBatch, ct);
                    foreach (var i in matches)
                    {
                        items.Add(View(definition, recipients[i], outcomes[i], receipted.GetValueOrDefault((b, i))));
                        if (items.Count == limit)
                        {
                            var more = i + 1 < outcomes.Length || b + 1 < definition.BatchCount;
                            return (items, more ? $"{(i + 1 < outcomes.Length ? b : b + 1)}.{(i + 1 < outcomes.Length ? i + 1 : 0)}" : null);
                        }
                    }
                }
                offset = 0;
                batch = b + 1;
            }
        }
        return (items, batch < definition.BatchCount ? $"{batch}.0" : null);
    }

    public async IAsyncEnumerable<RecipientView> AllAsync(BroadcastRecord record, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (recipient, outcome, receipt) in JoinAsync(record, null, ct)) yield return View(record.Definition, recipient, outcome, receipt);
    }

    /// <summary>Each recipient as it was listed (its variables included) whose status, as the log shows it, is one of
    /// <paramref name="statuses"/>, in order; only the pages holding one are read.</summary>
    public async IAsyncEnumerable<Recipient> WithStatusAsync(BroadcastRecord record, IReadOnlySet<string> statuses, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (recipient, _, _) in JoinAsync(record, statuses, ct)) yield return recipient;
    }

    /// <summary>The log 100 batches at a time: each recipient with its outcome and receipt; with <paramref name="only"/>,
    /// just those whose status it holds.</summary>
    private async IAsyncEnumerable<(Recipient Recipient, RecipientOutcome Outcome, Receipt? Receipt)> JoinAsync(BroadcastRecord record,
        IReadOnlySet<string>? only, [EnumeratorCancellation] CancellationToken ct)
    {
        var definition = record.Definition;
        for (var batch = 0; batch < definition.BatchCount; batch += 100)
        {
            var listed = await batches.ListAsync(definition.Id, batch, 100, ct);
            var rows = listed.ToDictionary(r => r.Batch);
            var receipted = await ReceiptsAsync(definition.Id, batch, listed, ct);
            for (var b = batch; b < Math.Min(batch + 100, definition.BatchCount); b++)
            {
                var outcomes = Outcomes(record, b, rows.GetValueOrDefault(b), receipted);
                if (only is not null && !outcomes.Any(o => only.Contains(o.Status))) continue;
                var recipients = await reader.ReadPagesAsync(definition.Recipients, b * definition.PagesPerBatch, definition.PagesPerBatch, ct);
                for (var i = 0; i < recipients.Count; i++)
                    if (only is null || only.Contains(outcomes[i].Status)) yield return (recipients[i], outcomes[i], receipted.GetValueOrDefault((b, i)));
            }
        }
    }

    /// <summary>The receipts of 100 batches from <paramref name="fromBatch"/>. A receipt only moves a recipient the vendor
    /// took (sent → delivered → read): with none of those in these batches there is nothing to read.</summary>
    private async Task<Dictionary<(int Batch, int Index), Receipt>> ReceiptsAsync(string broadcastId, int fromBatch,
        IEnumerable<BatchRecord> rows, CancellationToken ct) =>
        rows.Any(r => r.Outcomes.Any(o => RecipientStatus.IsSent(o.Status)))
            ? await receipts.ForBatchesAsync(broadcastId, fromBatch, fromBatch + 100, ct)
            : [];

    /// <summary>A batch's outcomes as users see them: in-flight ones are still queued; a batch never sent of a
    /// finished (so canceled) broadcast is canceled.</summary>
    private static RecipientOutcome[] Outcomes(BroadcastRecord record, int batch, BatchRecord? row, Dictionary<(int Batch, int Index), Receipt> receipted)
    {
        var outcomes = Committed(record, batch, row);
        for (var i = 0; i < outcomes.Length; i++)
            if (receipted.TryGetValue((batch, i), out var receipt) && RecipientStatus.IsSent(outcomes[i].Status)
                && ReceiptStore.IsForward(outcomes[i].Status, receipt.Status))
                outcomes[i] = outcomes[i] with { Status = receipt.Status, Error = receipt.Status == RecipientStatus.Failed ? "the vendor reported it failed" : outcomes[i].Error };
        return outcomes;
    }

    private static RecipientOutcome[] Committed(BroadcastRecord record, int batch, BatchRecord? row)
    {
        var count = record.Definition.CountOf(batch);
        if (row is null || row.Outcomes.Length != count)
        {
            var fill = record.CompletedAt is not null ? new RecipientOutcome(RecipientStatus.Canceled) : RecipientOutcome.Queued;
            return Enumerable.Repeat(fill, count).ToArray();
        }
        return row.Outcomes.Select(o => o.Status == RecipientStatus.Sending ? o with { Status = RecipientStatus.Queued } : o).ToArray();
    }

    /// <summary>The provider that carried it (or was the last tried) and each provider's attempts (without a fallback
    /// list, the broadcast's own provider once it was called); when it was delivered and read, as its receipt says.</summary>
    private static RecipientView View(BroadcastDefinition d, Recipient r, RecipientOutcome o, Receipt? receipt)
    {
        var called = o.Attempts > 0;
        var provider = o.Provider ?? (called ? d.Provider.Name() : null);
        var tried = o.Tried ?? (called ? [new ProviderTry(d.Provider.Name(), o.Attempts, o.Status == RecipientStatus.Failed ? o.Error : null)] : []);
        var sent = RecipientStatus.IsSent(o.Status);
        return new(r.Row, r.Phone, r.Name, o.Status, o.Attempts, o.ProviderMessageId, o.Error, o.SentAt, provider, tried,
            sent ? receipt?.DeliveredAt : null, sent ? receipt?.ReadAt : null, r.Variables);
    }

    private static (int Batch, int Offset) ParseContinuation(string? continuation)
    {
        if (string.IsNullOrEmpty(continuation)) return (0, 0);
        var parts = continuation.Split('.');
        if (parts.Length == 2 && int.TryParse(parts[0], out var b) && int.TryParse(parts[1], out var o) && b >= 0 && o >= 0) return (b, o);
        throw new IntakeException("continuation", "continuation is not one this API gave out.");
    }
}
