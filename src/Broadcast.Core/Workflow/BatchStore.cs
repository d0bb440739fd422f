using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

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
