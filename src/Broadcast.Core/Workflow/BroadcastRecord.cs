using System.Text.Json;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>A broadcast's row in the Broadcasts table: its definition and its progress, changed only with ETags.</summary>
/// <summary>A broadcast's row in the Broadcasts table (the read model; its orchestration's history is not): its
/// definition and progress, in a partition of its own (partition key = id) beside its progress rows
/// (<see cref="BroadcastProgress"/>), changed only with ETags.</summary>
public sealed class BroadcastRecord
{
    /// <summary>The row key of a broadcast's own row in its partition.</summary>
    public const string RowKey = "broadcast";

    public required BroadcastDefinition Definition { get; init; }
    public string Id => Definition.Id;
    public string Status { get; set; } = BroadcastStatus.Scheduled;
    /// <summary>False from the accept until its orchestration (or the fast path) first touches it, or a reader has
    /// seen that the orchestration exists: a row whose create failed half-way is then recognised and removed.</summary>
    public bool Accepted { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    /// <summary>While <see cref="BroadcastStatus.Waiting"/>: when the messaging limit lets it continue.</summary>
    public DateTimeOffset? ResumesAt { get; set; }
    /// <summary>The final outcomes, written once when the broadcast finishes (from its orchestration's fan-in).</summary>
    public Tally Final { get; set; } = Tally.None;
    /// <summary>While it runs: what its batches have committed so far (its progress rows, not stored in this row).</summary>
    public Tally Live { get; set; } = Tally.None;
    /// <summary>Recipients the vendor took and later reported failed (a callback): moved from sent to failed.</summary>
    public long ReportedFailed { get; set; }
    /// <summary>Delivery receipts (Qiscus's total_received) and read receipts, from vendor callbacks.</summary>
    public long Received { get; set; }
    public long Read { get; set; }
    public string? Error { get; set; }
    public string? ETag { get; set; }

    /// <summary>When the read that gave this copy began, or when it was made (<see cref="Environment.TickCount64"/>; not
    /// stored): what it says is at least that recent.</summary>
    public long ReadAt { get; init; } = Environment.TickCount64;

    /// <summary>What the user sees: every committed outcome, with callbacks' failure reports applied.</summary>
    public Tally Counters
    {
        get
        {
            var counted = CompletedAt is null ? Live : Final;
            return counted with { Sent = counted.Sent - ReportedFailed, Failed = counted.Failed + ReportedFailed };
        }
    }

    public long Queued => Definition.TotalRecipients - Counters.Total;

    /// <summary>Every recipient has its final outcome: the counters are final and only now is the status terminal.
    /// False when it had already finished.</summary>
    public bool Finish(Tally tally, DateTimeOffset now)
    {
        if (CompletedAt is not null) return false;
        Final = tally;
        CompletedAt = now;
        ResumesAt = null;
        Status = BroadcastStatus.IsCancelRequested(Status) ? BroadcastStatus.Canceled
            : tally.Sent == 0 && tally.Failed + tally.Unknown > 0 ? BroadcastStatus.Failed : BroadcastStatus.Completed;
        return true;
    }

    /// <summary>A vendor callback moved one recipient from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void Moved(string from, string to)
    {
        if (RecipientStatus.IsSent(from) && to == RecipientStatus.Failed)
        {
            ReportedFailed++;
            return;
        }
        if (RecipientStatus.Progress(from) < 2 && RecipientStatus.Progress(to) >= 2) Received++;
        if (RecipientStatus.Progress(from) < 3 && RecipientStatus.Progress(to) >= 3) Read++;
    }

    private static readonly JsonSerializerOptions DefinitionJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        // Text in any script stays one character per character (escaped it takes six) in the one table property.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A table string property holds 64 KiB of UTF-16: 32,768 characters, less a margin for the JSON around it.</summary>
    public const int MaxDefinitionLength = 32_000;

    public static int DefinitionLength(BroadcastDefinition definition) => JsonSerializer.Serialize(definition, DefinitionJson).Length;

    public TableRow ToRow() => new(Id, RowKey, ETag)
    {
        ["Definition"] = JsonSerializer.Serialize(Definition, DefinitionJson),
        ["Status"] = Status,
        ["Accepted"] = Accepted,
        ["CreatedAt"] = Definition.CreatedAt,
        ["StartedAt"] = StartedAt,
        ["CompletedAt"] = CompletedAt,
        ["CanceledAt"] = CanceledAt,
        ["ResumesAt"] = ResumesAt,
        ["Sent"] = Final.Sent,
        ["Failed"] = Final.Failed,
        ["Canceled"] = Final.Canceled,
        ["Unknown"] = Final.Unknown,
        ["Suppressed"] = Final.Suppressed,
        ["Failover"] = Final.Failover,
        ["Expired"] = Final.Expired,
        ["ReportedFailed"] = ReportedFailed,
        ["Received"] = Received,
        ["Read"] = Read,
        ["Error"] = Error,
    };

    /// <param name="readAt">When the read that gave <paramref name="row"/> began; now by default.</param>
    public static BroadcastRecord FromRow(TableRow row, long? readAt = null) => new()
    {
        ReadAt = readAt ?? Environment.TickCount64,
        Definition = JsonSerializer.Deserialize<BroadcastDefinition>(row.GetString("Definition")!, DefinitionJson)!,
        Status = row.GetString("Status") ?? BroadcastStatus.Scheduled,
        Accepted = row.GetBool("Accepted"),
        StartedAt = row.GetDate("StartedAt"),
        CompletedAt = row.GetDate("CompletedAt"),
        CanceledAt = row.GetDate("CanceledAt"),
        ResumesAt = row.GetDate("ResumesAt"),
        Final = new Tally(row.GetLong("Sent"), row.GetLong("Failed"), row.GetLong("Canceled"), row.GetLong("Unknown"), row.GetLong("Suppressed"), row.GetLong("Failover"),
            row.GetLong("Expired")),
        ReportedFailed = row.GetLong("ReportedFailed"),
        Received = row.GetLong("Received"),
        Read = row.GetLong("Read"),
        Error = row.GetString("Error"),
        ETag = row.ETag,
    };

    /// <summary>A copy that later changes to this one do not touch.</summary>
    public BroadcastRecord Copy()
    {
        var copy = FromRow(ToRow(), ReadAt);
        copy.Live = Live;
        return copy;
    }
}
