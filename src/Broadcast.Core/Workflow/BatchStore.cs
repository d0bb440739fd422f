using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

public sealed class BatchStore(ITableStore tables, StorageNames names)
{
    private string Table => names.BatchesTable;

    public async Task<BatchRecord?> GetAsync(string broadcastId, int batch, CancellationToken ct)
    {
        var row = await tables.GetAsync(Table, broadcastId, BatchRecord.RowKey(batch), ct);
        return row is null ? null : BatchRecord.FromRow(row);
    }

    /// <summary>Takes the batch for a run of its activity: counts the try and writes the row (new, or with the ETag it
    /// was read with), so a run still going elsewhere loses its next write and stops. A batch already done is
    /// answered as it is. Throws <see cref="StoragePreconditionFailedException"/> when another run wrote in between.</summary>
    public async Task<BatchRecord> ClaimAsync(string broadcastId, int batch, string runBy, CancellationToken ct)
    {
        // Most batches are claimed once: try the insert first, and read only when someone was there before.
        var fresh = new BatchRecord { BroadcastId = broadcastId, Batch = batch, Tries = 1, RunBy = runBy };
        try
        {
            fresh.ETag = await tables.InsertAsync(Table, fresh.ToRow(), ct);
            return fresh;
        }
        catch (StorageConflictException)
        {
        }
        var current = await GetAsync(broadcastId, batch, ct) ?? throw new StoragePreconditionFailedException($"batch {batch} of {broadcastId} was removed while being claimed");
        if (current.Done) return current;
        current.Tries++;
        current.RunBy = runBy;
        current.ETag = await tables.ReplaceAsync(Table, current.ToRow(), ct);
        return current;
    }

    /// <summary>Writes the batch if nobody else wrote it since this run read or wrote it; throws
    /// <see cref="StoragePreconditionFailedException"/> if someone did. Answers the tally of exactly what was written
    /// (sends may change the outcomes meanwhile).</summary>
    public async Task<Tally> SaveAsync(BatchRecord batch, CancellationToken ct)
    {
        var (row, tally) = batch.Snapshot();
        batch.ETag = batch.ETag is null ? await tables.InsertAsync(Table, row, ct) : await tables.ReplaceAsync(Table, row, ct);
        return tally;
    }

    public async Task<IReadOnlyList<BatchRecord>> ListAsync(string broadcastId, int fromBatch, int take, CancellationToken ct)
    {
        var page = await tables.QueryAsync(Table, broadcastId, BatchRecord.RowKey(fromBatch), take, null, ct);
        return page.Rows.Select(BatchRecord.FromRow).ToList();
    }
}
