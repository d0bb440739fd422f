namespace Broadcast.Core.Storage;

/// <summary>The table operations this product needs, nothing more.</summary>
public interface ITableStore
{
    Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct);

    /// <summary>Inserts; throws <see cref="StorageConflictException"/> when the row exists. Returns the new ETag.</summary>
    Task<string> InsertAsync(string table, TableRow row, CancellationToken ct);

    /// <summary>Replaces the row if its ETag still matches (throws <see cref="StoragePreconditionFailedException"/>);
    /// with a null ETag, inserts or replaces unconditionally. Returns the new ETag.</summary>
    Task<string> ReplaceAsync(string table, TableRow row, CancellationToken ct);

    Task DeleteAsync(string table, string partitionKey, string rowKey, CancellationToken ct);

    /// <summary>Inserts up to 100 new rows of one partition in one entity group transaction, all or none (throws
    /// <see cref="StorageConflictException"/> if any exists); answers their ETags in order.</summary>
    Task<IReadOnlyList<string>> InsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct);

    /// <summary>Inserts or replaces up to 100 rows of one partition in one entity group transaction; answers their
    /// new ETags in order.</summary>
    Task<IReadOnlyList<string>> UpsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct);

    /// <summary>Inserts the row, or merges its properties into the existing one (the others stay), unconditionally.</summary>
    Task MergeAsync(string table, TableRow row, CancellationToken ct);

    /// <summary>The rows with row key <paramref name="rowKey"/> across all partitions, in partition-key order, a page at a time.</summary>
    Task<TablePage> QueryByRowKeyAsync(string table, string rowKey, int take, string? continuation, CancellationToken ct);

    /// <summary>Rows of one partition in row-key order, from <paramref name="fromRowKey"/> (inclusive), optionally
    /// filtered on one string property, a page at a time.</summary>
    Task<TablePage> QueryAsync(string table, string partitionKey, string? fromRowKey, int take, string? continuation,
        CancellationToken ct, string? whereProperty = null, string? equalsValue = null);
}
