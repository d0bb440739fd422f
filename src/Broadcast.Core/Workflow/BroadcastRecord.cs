using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>What a broadcast is, fixed when it is accepted.</summary>
public sealed record BroadcastDefinition(
    string Id,
    string? Name,
    Provider Provider,
    MessageContent Content,
    ChannelSpec Channel,
    bool IsGroup,
    DeliveryGuarantee Delivery,
    bool NativeBulk,
    string? UploadId,
    RecipientSetLocation Recipients,
    long TotalRecipients,
    int PageSize,
    int PagesPerBatch,
    IReadOnlyList<string> VariableNames,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset CreatedAt,
    bool SingleMessage)
{
    public int RecipientsPerBatch => PageSize * PagesPerBatch;

    public int BatchCount => (int)((TotalRecipients + RecipientsPerBatch - 1) / RecipientsPerBatch);

    public int CountOf(int batch) => (int)Math.Min(RecipientsPerBatch, TotalRecipients - (long)batch * RecipientsPerBatch);

    /// <summary>The name vendors see (Qiscus broadcasts have one).</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? $"broadcast {Id}" : Name!;
}

/// <summary>Counts of recipient outcomes; the fan-in adds one per batch.</summary>
public sealed record Tally(long Sent = 0, long Failed = 0, long Canceled = 0, long Unknown = 0, long Suppressed = 0)
{
    public long Total => Sent + Failed + Canceled + Unknown + Suppressed;
}

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
    /// <summary>Batches [0, FannedOut) have had their work items enqueued.</summary>
    public int FannedOut { get; set; }
    public long Sent { get; set; }
    public long Failed { get; set; }
    public long Canceled { get; set; }
    public long Unknown { get; set; }
    public long Suppressed { get; set; }
    /// <summary>Delivery receipts (Qiscus's total_received) and read receipts, from vendor callbacks.</summary>
    public long Received { get; set; }
    public long Read { get; set; }
    /// <summary>One bit per batch: its outcomes are in the counters. Makes counting idempotent across retries and workers.</summary>
    public byte[] Counted { get; set; } = [];
    public string? Error { get; set; }
    public string? ETag { get; set; }

    public long Queued => Definition.TotalRecipients - Sent - Failed - Canceled - Unknown - Suppressed;

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
        Sent += tally.Sent;
        Failed += tally.Failed;
        Canceled += tally.Canceled;
        Unknown += tally.Unknown;
        Suppressed += tally.Suppressed;
        CompleteIfDone(now);
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

    private void CompleteIfDone(DateTimeOffset now)
    {
        if (Queued > 0 || CompletedAt is not null) return;
        CompletedAt = now;
        if (Status == BroadcastStatus.Canceled) return;
        Status = Sent == 0 && Failed + Unknown > 0 ? BroadcastStatus.Failed : BroadcastStatus.Completed;
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
    };

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
            ["FannedOut"] = FannedOut,
            ["Sent"] = Sent,
            ["Failed"] = Failed,
            ["Canceled"] = Canceled,
            ["Unknown"] = Unknown,
            ["Suppressed"] = Suppressed,
            ["Received"] = Received,
            ["Read"] = Read,
            ["Counted"] = Counted.Length == 0 ? null : Counted,
            ["Error"] = Error,
        };
        return row;
    }

    public static BroadcastRecord FromRow(TableRow row) => new()
    {
        Definition = JsonSerializer.Deserialize<BroadcastDefinition>(row.GetString("Definition")!, DefinitionJson)!,
        Status = row.GetString("Status") ?? BroadcastStatus.Scheduled,
        StartedAt = row.GetDate("StartedAt"),
        CompletedAt = row.GetDate("CompletedAt"),
        CanceledAt = row.GetDate("CanceledAt"),
        FannedOut = row.GetInt("FannedOut"),
        Sent = row.GetLong("Sent"),
        Failed = row.GetLong("Failed"),
        Canceled = row.GetLong("Canceled"),
        Unknown = row.GetLong("Unknown"),
        Suppressed = row.GetLong("Suppressed"),
        Received = row.GetLong("Received"),
        Read = row.GetLong("Read"),
        Counted = row.GetBytes("Counted") ?? [],
        Error = row.GetString("Error"),
        ETag = row.ETag,
    };
}
