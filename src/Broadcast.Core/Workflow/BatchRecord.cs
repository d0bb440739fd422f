using System.Text.Json;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>A batch's row in the Batches table (partition = broadcast id): every recipient's outcome, written together
/// in one entity write (the group commit that keeps storage writes per batch, not per recipient), always with its
/// ETag, so that of two runs of one batch (an activity run again after its worker was lost) only one goes on.</summary>
public sealed class BatchRecord
{
    private const int MaxCharsPerProperty = 30_000;

    public required string BroadcastId { get; init; }
    public required int Batch { get; init; }
    /// <summary>Runs of this batch's activity so far, crashes included: a batch that keeps stopping its worker is
    /// given up after Workflow__MaxDequeueCount.</summary>
    public int Tries { get; set; }
    /// <summary>Which app instance ran it last (for operators and tests; never a secret).</summary>
    public string? RunBy { get; set; }
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
            ["Tries"] = Tries,
            ["RunBy"] = RunBy,
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
            Tries = row.GetInt("Tries"),
            RunBy = row.GetString("RunBy"),
            Done = row.GetBool("Done"),
            LastError = row.GetString("LastError"),
            Outcomes = json.Length == 0 ? [] : DecodeOutcomes(json.ToString()),
            ETag = row.ETag,
        };
    }

    /// <summary>Compact: [[status, attempts, sent_at_unix_ms, provider_message_id, error(, provider, [[provider, attempts, error], ...])], ...].</summary>
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
                if (o.Provider is not null || o.Tried is not null)
                {
                    if (o.Provider is null) w.WriteNullValue(); else w.WriteStringValue(o.Provider);
                    w.WriteStartArray();
                    foreach (var t in o.Tried ?? [])
                    {
                        w.WriteStartArray();
                        w.WriteStringValue(t.Provider);
                        w.WriteNumberValue(t.Attempts);
                        if (t.Error is null) w.WriteNullValue(); else w.WriteStringValue(t.Error);
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                }
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
                e[4].ValueKind == JsonValueKind.String ? e[4].GetString() : null,
                e.GetArrayLength() > 5 && e[5].ValueKind == JsonValueKind.String ? e[5].GetString() : null,
                e.GetArrayLength() > 6 && e[6].ValueKind == JsonValueKind.Array
                    ? [.. e[6].EnumerateArray().Select(t => new ProviderTry(t[0].GetString()!, t[1].GetInt32(), t[2].ValueKind == JsonValueKind.String ? t[2].GetString() : null))]
                    : null);
        }
        return list;
    }
}
