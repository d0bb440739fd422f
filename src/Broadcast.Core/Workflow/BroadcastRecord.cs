using System.Text.Json;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>A broadcast's row in the Broadcasts table: its definition and its progress, changed only with ETags.</summary>
public sealed class BroadcastRecord
{
    public const string Partition = "broadcast";

    public required BroadcastDefinition Definition { get; init; }
    public string Id => Definition.Id;
    public string Status { get; set; } = BroadcastStatus.Scheduled;
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    /// <summary>While <see cref="BroadcastStatus.Waiting"/>: when the messaging limit lets it continue.</summary>
    public DateTimeOffset? ResumesAt { get; set; }
    /// <summary>Batches [0, FannedOut) have had their work items enqueued.</summary>
    public int FannedOut { get; set; }
    // The outcomes of finished (counted) batches; Counters adds the batches still being sent.
    public long Sent { get; set; }
    public long Failed { get; set; }
    public long Canceled { get; set; }
    public long Unknown { get; set; }
    public long Suppressed { get; set; }
    /// <summary>Batches being sent, each with what it has committed so far: the counters move while they run.
    /// Absolute per batch (not increments), so a report applied twice or out of order changes nothing.</summary>
    public Dictionary<int, Tally> Live { get; set; } = [];
    /// <summary>Delivery receipts (Qiscus's total_received) and read receipts, from vendor callbacks.</summary>
    public long Received { get; set; }
    public long Read { get; set; }
    /// <summary>One bit per batch: its outcomes are in the counters. Makes counting idempotent across retries and workers.</summary>
    public byte[] Counted { get; set; } = [];
    public string? Error { get; set; }
    public string? ETag { get; set; }

    /// <summary>When the read that gave this copy began, or when it was made (<see cref="Environment.TickCount64"/>; not
    /// stored): what it says is at least that recent.</summary>
    public long ReadAt { get; init; } = Environment.TickCount64;

    /// <summary>What the user sees: every committed outcome, of finished batches and of batches still sending.</summary>
    public Tally Counters => Live.Values.Aggregate(new Tally(Sent, Failed, Canceled, Unknown, Suppressed), (sum, t) => sum + t);

    public long Queued => Definition.TotalRecipients - Counters.Total;

    private long CountedTotal => Sent + Failed + Canceled + Unknown + Suppressed;

    public bool IsCounted(int batch) => batch / 8 < Counted.Length && (Counted[batch / 8] & (1 << (batch % 8))) != 0;

    private void MarkCounted(int batch)
    {
        var needed = Definition.BatchCount / 8 + 1;
        if (Counted.Length < needed) Counted = [.. Counted, .. new byte[needed - Counted.Length]];
        Counted[batch / 8] |= (byte)(1 << (batch % 8));
    }

    /// <summary>Adds a batch's outcomes once; closes the broadcast when every recipient has an outcome.</summary>
    public bool Count(int batch, Tally tally, DateTimeOffset now)
    {
        if (IsCounted(batch)) return false;
        MarkCounted(batch);
        Live.Remove(batch);
        Sent += tally.Sent;
        Failed += tally.Failed;
        Canceled += tally.Canceled;
        Unknown += tally.Unknown;
        Suppressed += tally.Suppressed;
        CompleteIfDone(now);
        return true;
    }

    /// <summary>A batch still sending has committed <paramref name="tally"/> so far. Outcomes only ever become
    /// terminal, so the larger tally is the newer one.</summary>
    public bool Progress(int batch, Tally tally)
    {
        if (IsCounted(batch) || tally.Total == 0) return false;
        if (Live.TryGetValue(batch, out var known) && known.Total >= tally.Total) return false;
        Live[batch] = tally;
        return true;
    }

    /// <summary>Batches never enqueued when the broadcast was canceled are counted canceled here, since no worker will.</summary>
    public bool CancelUnfanned(DateTimeOffset now)
    {
        var changed = false;
        for (var b = FannedOut; b < Definition.BatchCount; b++)
            changed |= Count(b, new Tally(Canceled: Definition.CountOf(b)), now);
        FannedOut = Definition.BatchCount;
        CompleteIfDone(now);
        return changed;
    }

    /// <summary>Every batch is counted: the counters are final, and only now does the status become terminal.</summary>
    private void CompleteIfDone(DateTimeOffset now)
    {
        if (CountedTotal < Definition.TotalRecipients || CompletedAt is not null) return;
        CompletedAt = now;
        ResumesAt = null;
        Live.Clear();
        Status = BroadcastStatus.IsCancelRequested(Status) ? BroadcastStatus.Canceled
            : Sent == 0 && Failed + Unknown > 0 ? BroadcastStatus.Failed : BroadcastStatus.Completed;
    }

    /// <summary>A vendor callback moved one recipient from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void Moved(string from, string to)
    {
        if (RecipientStatus.IsSent(from) && to == RecipientStatus.Failed)
        {
            Sent--;
            Failed++;
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

    public TableRow ToRow()
    {
        var row = new TableRow(Partition, Id, ETag)
        {
            ["Definition"] = JsonSerializer.Serialize(Definition, DefinitionJson),
            ["Status"] = Status,
            ["CreatedAt"] = Definition.CreatedAt,
            ["StartedAt"] = StartedAt,
            ["CompletedAt"] = CompletedAt,
            ["CanceledAt"] = CanceledAt,
            ["ResumesAt"] = ResumesAt,
            ["FannedOut"] = FannedOut,
            ["Sent"] = Sent,
            ["Failed"] = Failed,
            ["Canceled"] = Canceled,
            ["Unknown"] = Unknown,
            ["Suppressed"] = Suppressed,
            ["Received"] = Received,
            ["Read"] = Read,
            ["Counted"] = Counted.Length == 0 ? null : Counted,
            ["Live"] = Live.Count == 0 ? null : EncodeLive(Live),
            ["Error"] = Error,
        };
        return row;
    }

    /// <param name="readAt">When the read that gave <paramref name="row"/> began; now by default.</param>
    public static BroadcastRecord FromRow(TableRow row, long? readAt = null) => new()
    {
        ReadAt = readAt ?? Environment.TickCount64,
        Definition = JsonSerializer.Deserialize<BroadcastDefinition>(row.GetString("Definition")!, DefinitionJson)!,
        Status = row.GetString("Status") ?? BroadcastStatus.Scheduled,
        StartedAt = row.GetDate("StartedAt"),
        CompletedAt = row.GetDate("CompletedAt"),
        CanceledAt = row.GetDate("CanceledAt"),
        ResumesAt = row.GetDate("ResumesAt"),
        FannedOut = row.GetInt("FannedOut"),
        Sent = row.GetLong("Sent"),
        Failed = row.GetLong("Failed"),
        Canceled = row.GetLong("Canceled"),
        Unknown = row.GetLong("Unknown"),
        Suppressed = row.GetLong("Suppressed"),
        Received = row.GetLong("Received"),
        Read = row.GetLong("Read"),
        Counted = row.GetBytes("Counted") ?? [],
        Live = DecodeLive(row.GetString("Live")),
        Error = row.GetString("Error"),
        ETag = row.ETag,
    };

    /// <summary>Compact: {"batch":[sent,failed,canceled,unknown,suppressed],...}.</summary>
    private static string EncodeLive(Dictionary<int, Tally> live) =>
        JsonSerializer.Serialize(live.ToDictionary(e => e.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e => new[] { e.Value.Sent, e.Value.Failed, e.Value.Canceled, e.Value.Unknown, e.Value.Suppressed }));

    private static Dictionary<int, Tally> DecodeLive(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        return JsonSerializer.Deserialize<Dictionary<string, long[]>>(json)!
            .ToDictionary(e => int.Parse(e.Key, System.Globalization.CultureInfo.InvariantCulture), e => new Tally(e.Value[0], e.Value[1], e.Value[2], e.Value[3], e.Value[4]));
    }
}
