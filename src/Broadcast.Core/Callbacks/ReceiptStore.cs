using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Callbacks;

/// <summary>Delivery and read receipts from vendor callbacks, beside (not inside) the batch rows, so a callback
/// never races the worker that is still committing its batch. The recipient log overlays them.</summary>
public sealed class ReceiptStore(ITableStore tables, StorageNames names, TimeProvider time)
{
    private string Table => names.ReceiptsTable;

    private static string Key(int batch, int index) => $"{batch:D7}:{index:D5}";

    /// <summary>Moves the recipient's receipt to <paramref name="status"/> if that is forward from where it stands
    /// (<paramref name="committed"/> is its status in the batch row). Returns the status it moved from, or null.</summary>
    public async Task<string?> AdvanceAsync(MessageLocation at, string committed, string status, CancellationToken ct)
    {
        while (true)
        {
            var row = await tables.GetAsync(Table, at.BroadcastId, Key(at.Batch, at.Index), ct);
            var current = row?.GetString("Status") ?? (RecipientStatus.IsSent(committed) || committed is RecipientStatus.Queued or RecipientStatus.Sending ? RecipientStatus.Sent : committed);
            if (!IsForward(current, status)) return null;
            var next = row ?? new TableRow(at.BroadcastId, Key(at.Batch, at.Index));
            var now = time.GetUtcNow();
            next["Status"] = status;
            next["At"] = now;
            // Each step's own time, for the log's delivered_at and read_at (a read report may come without a delivered one).
            if (status == RecipientStatus.Delivered) next["DeliveredAt"] = now;
            if (status == RecipientStatus.Read) next["ReadAt"] = now;
            try
            {
                if (row is null) await tables.InsertAsync(Table, next, ct);
                else await tables.ReplaceAsync(Table, next, ct);
                return current;
            }
            catch (Exception e) when (e is StorageConflictException or StoragePreconditionFailedException)
            {
                // Another callback for the same recipient landed first: look again.
            }
        }
    }

    /// <summary>sent → delivered → read; a failure report only while nothing better is known.</summary>
    public static bool IsForward(string from, string to) =>
        to == RecipientStatus.Failed ? from == RecipientStatus.Sent : RecipientStatus.Progress(to) > RecipientStatus.Progress(from) && RecipientStatus.Progress(from) > 0;

    public async Task<Dictionary<(int Batch, int Index), Receipt>> ForBatchesAsync(string broadcastId, int fromBatch, int toBatch, CancellationToken ct)
    {
        var result = new Dictionary<(int, int), Receipt>();
        string? continuation = null;
        do
        {
            var page = await tables.QueryAsync(Table, broadcastId, $"{fromBatch:D7}:", 1000, continuation, ct);
            foreach (var row in page.Rows)
            {
                var parts = row.RowKey.Split(':');
                var batch = int.Parse(parts[0]);
                if (batch >= toBatch) return result;
                result[(batch, int.Parse(parts[1]))] = new Receipt(row.GetString("Status")!,
                    row.GetDate("DeliveredAt"), row.GetDate("ReadAt"));
            }
            continuation = page.Continuation;
        } while (continuation is not null);
        return result;
    }
}

/// <summary>A recipient's furthest report from its vendor, and when it was delivered and read (null when not reported).</summary>
public sealed record Receipt(string Status, DateTimeOffset? DeliveredAt, DateTimeOffset? ReadAt);
