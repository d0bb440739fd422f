using System.Text.Json;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>One recipient's fate inside a batch.</summary>
public sealed record RecipientOutcome(string Status, int Attempts = 0, DateTimeOffset? SentAt = null, string? ProviderMessageId = null, string? Error = null)
{
    public static readonly RecipientOutcome Queued = new(RecipientStatus.Queued);
}

/// <summary>A batch's row in the Batches table (partition = broadcast id): who holds it, and every recipient's
/// outcome, written together in one entity write: the group commit that keeps storage writes per batch, not
/// per recipient.</summary>
public sealed class BatchRecord
{
    private const int MaxCharsPerProperty = 30_000;

    public required string BroadcastId { get; init; }
    public required int Batch { get; init; }
    public string? Owner { get; set; }
    public DateTimeOffset LeaseUntil { get; set; }
    public bool Done { get; set; }
    public string? LastError { get; set; }
    public RecipientOutcome[] Outcomes { get; set; } = [];
    public string? ETag { get; set; }

    public static string RowKey(int batch) => batch.ToString("D7");

    public Tally Tally() => Workflow.Tally.Of(Outcomes);

    public TableRow ToRow() => ToRow(Outcomes);

    private TableRow ToRow(RecipientOutcome[] outcomes)
    {
        var row = new TableRow(BroadcastId, RowKey(Batch), ETag)
        {
            ["Owner"] = Owner,
            ["LeaseUntil"] = LeaseUntil,
            ["Done"] = Done,
            ["LastError"] = LastError,
        };
        var json = EncodeOutcomes(outcomes);
        for (int i = 0, part = 0; i < json.Length; i += MaxCharsPerProperty, part++)
            row[part == 0 ? "Outcomes" : $"Outcomes{part}"] = json.Substring(i, Math.Min(MaxCharsPerProperty, json.Length - i));
        return row;
    }

    /// <summary>The row and its tally from one copy of the outcomes.</summary>
    public (TableRow Row, Tally Tally) Snapshot()
    {
        var outcomes = (RecipientOutcome[])Outcomes.Clone();
        return (ToRow(outcomes), Workflow.Tally.Of(outcomes));
    }

    public static BatchRecord FromRow(TableRow row)
    {
        var json = new System.Text.StringBuilder(row.GetString("Outcomes") ?? "");
        for (var part = 1; row.GetString($"Outcomes{part}") is { } more; part++) json.Append(more);
        return new BatchRecord
        {
            BroadcastId = row.PartitionKey,
            Batch = int.Parse(row.RowKey),
            Owner = row.GetString("Owner"),
            LeaseUntil = row.GetDate("LeaseUntil") ?? DateTimeOffset.MinValue,
            Done = row.GetBool("Done"),
            LastError = row.GetString("LastError"),
            Outcomes = json.Length == 0 ? [] : DecodeOutcomes(json.ToString()),
            ETag = row.ETag,
        };
    }

    /// <summary>Compact: [[status, attempts, sent_at_unix_ms, provider_message_id, error], ...].</summary>
    private static string EncodeOutcomes(RecipientOutcome[] outcomes)
    {
        if (outcomes.Length == 0) return "";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var o in outcomes)
            {
                w.WriteStartArray();
                w.WriteStringValue(o.Status);
                w.WriteNumberValue(o.Attempts);
                if (o.SentAt is { } at) w.WriteNumberValue(at.ToUnixTimeMilliseconds()); else w.WriteNullValue();
                if (o.ProviderMessageId is null) w.WriteNullValue(); else w.WriteStringValue(o.ProviderMessageId);
                if (o.Error is null) w.WriteNullValue(); else w.WriteStringValue(o.Error);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static RecipientOutcome[] DecodeOutcomes(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new RecipientOutcome[doc.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            list[i++] = new RecipientOutcome(
                e[0].GetString()!,
                e[1].GetInt32(),
                e[2].ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds(e[2].GetInt64()) : null,
                e[3].ValueKind == JsonValueKind.String ? e[3].GetString() : null,
                e[4].ValueKind == JsonValueKind.String ? e[4].GetString() : null);
        }
        return list;
    }
}

/// <summary>Batch rows, claimed and committed with ETags so that one worker at a time sends a batch.</summary>
public sealed class BatchStore(ITableStore tables, StorageNames names)
{
    private string Table => names.BatchesTable;

    public async Task<BatchRecord?> GetAsync(string broadcastId, int batch, CancellationToken ct)
    {
        var row = await tables.GetAsync(Table, broadcastId, BatchRecord.RowKey(batch), ct);
        return row is null ? null : BatchRecord.FromRow(row);
    }

    /// <summary>Takes the batch for <paramref name="owner"/> until <paramref name="leaseUntil"/>, unless it is done
    /// (returned as is) or another live worker holds it (returns null with the time its lease ends).</summary>
    public async Task<(BatchRecord? Batch, DateTimeOffset HeldUntil)> ClaimAsync(string broadcastId, int batch, string owner,
        DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        // Most batches are claimed once: try the insert first, and read only when someone was there before.
        var fresh = new BatchRecord { BroadcastId = broadcastId, Batch = batch, Owner = owner, LeaseUntil = leaseUntil };
        try
        {
            fresh.ETag = await tables.InsertAsync(Table, fresh.ToRow(), ct);
            return (fresh, default);
        }
        catch (StorageConflictException)
        {
        }
        var current = await GetAsync(broadcastId, batch, ct);
        if (current is { Done: true }) return (current, default);
        if (current is not null && current.Owner != owner && current.LeaseUntil > now) return (null, current.LeaseUntil);
        var claimed = current ?? new BatchRecord { BroadcastId = broadcastId, Batch = batch };
        claimed.Owner = owner;
        claimed.LeaseUntil = leaseUntil;
        try
        {
            if (current is null) claimed.ETag = await tables.InsertAsync(Table, claimed.ToRow(), ct);
            else claimed.ETag = await tables.ReplaceAsync(Table, claimed.ToRow(), ct);
            return (claimed, default);
        }
        catch (Exception e) when (e is StorageConflictException or StoragePreconditionFailedException)
        {
            return (null, now.AddSeconds(1));
        }
    }

    /// <summary>Writes the batch if this worker still holds it; throws <see cref="StoragePreconditionFailedException"/> if not.
    /// Answers the tally of exactly what was written (sends may change the outcomes meanwhile).</summary>
    public async Task<Tally> SaveAsync(BatchRecord batch, CancellationToken ct)
    {
        var (row, tally) = batch.Snapshot();
        batch.ETag = await tables.ReplaceAsync(Table, row, ct);
        return tally;
    }

    public async Task<IReadOnlyList<BatchRecord>> ListAsync(string broadcastId, int fromBatch, int take, CancellationToken ct)
    {
        var page = await tables.QueryAsync(Table, broadcastId, BatchRecord.RowKey(fromBatch), take, null, ct);
        return page.Rows.Select(BatchRecord.FromRow).ToList();
    }
}
