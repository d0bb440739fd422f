using Broadcast.Core.Storage;

namespace Broadcast.Tests.Infrastructure.Storage;

/// <summary>A table store passing every call to <paramref name="inner"/>; a test overrides the calls it watches or bends.</summary>
public abstract class TableStoreDecorator(ITableStore inner) : ITableStore
{
    protected ITableStore Inner => inner;

    public virtual Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct) => inner.GetAsync(table, partitionKey, rowKey, ct);
    public virtual Task<string> InsertAsync(string table, TableRow row, CancellationToken ct) => inner.InsertAsync(table, row, ct);
    public virtual Task<string> ReplaceAsync(string table, TableRow row, CancellationToken ct) => inner.ReplaceAsync(table, row, ct);
    public virtual Task DeleteAsync(string table, string partitionKey, string rowKey, CancellationToken ct) => inner.DeleteAsync(table, partitionKey, rowKey, ct);
    public virtual Task<IReadOnlyList<string>> InsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct) => inner.InsertBatchAsync(table, rows, ct);
    public virtual Task<IReadOnlyList<string>> UpsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct) => inner.UpsertBatchAsync(table, rows, ct);
    public virtual Task<TablePage> QueryAsync(string table, string partitionKey, string? fromRowKey, int take, string? continuation,
        CancellationToken ct, string? whereProperty = null, string? equalsValue = null) =>
        inner.QueryAsync(table, partitionKey, fromRowKey, take, continuation, ct, whereProperty, equalsValue);
    public virtual Task MergeAsync(string table, TableRow row, CancellationToken ct) => inner.MergeAsync(table, row, ct);
    public virtual Task<TablePage> QueryByRowKeyAsync(string table, string rowKey, int take, string? continuation, CancellationToken ct) =>
        inner.QueryByRowKeyAsync(table, rowKey, take, continuation, ct);
}
