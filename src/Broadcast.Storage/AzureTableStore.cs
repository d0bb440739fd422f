using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Broadcast.Core.Storage;

namespace Broadcast.Storage;

internal sealed class AzureTableStore(TableServiceClient service, StorageCallGates gates) : ITableStore
{
    // Azure Table storage's limits: rows in one entity group transaction, rows in one query page.
    private const int MaxTransactionRows = 100;
    private const int MaxPageRows = 1000;

    private readonly ConcurrentDictionary<string, TableClient> _tables = new();

    private TableClient Table(string name) => _tables.GetOrAdd(name, service.GetTableClient);

    public Task EnsureTableAsync(string name, CancellationToken ct) =>
        gates.Guard(() => Table(name).CreateIfNotExistsAsync(ct), $"creating table {name}");

    public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct) =>
        gates.Guard(async () =>
        {
            var result = await Table(table).GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: ct);
            return result.HasValue ? ToRow(result.Value!) : null;
        }, $"reading {table}");

    public Task<string> InsertAsync(string table, TableRow row, CancellationToken ct) =>
        gates.Guard(async () =>
        {
            var response = await Table(table).AddEntityAsync(ToEntity(row), ct);
            return row.ETag = response.Headers.ETag.GetValueOrDefault().ToString();
        }, $"inserting into {table}");

    public Task<string> ReplaceAsync(string table, TableRow row, CancellationToken ct) =>
        gates.Guard(async () =>
        {
            var entity = ToEntity(row);
            try
            {
                var response = row.ETag is null
                    ? await Table(table).UpsertEntityAsync(entity, TableUpdateMode.Replace, ct)
                    : await Table(table).UpdateEntityAsync(entity, new ETag(row.ETag), TableUpdateMode.Replace, ct);
                return row.ETag = response.Headers.ETag.GetValueOrDefault().ToString();
            }
            catch (RequestFailedException e) when (row.ETag is not null && e.Status == 404)
            {
                throw new StoragePreconditionFailedException($"replacing in {table}: the row is gone", e);
            }
        }, $"replacing in {table}");

    public Task DeleteAsync(string table, string partitionKey, string rowKey, CancellationToken ct) =>
        // A row that is already gone answers 404, which the SDK reports as a response, not an exception.
        gates.Guard(() => Table(table).DeleteEntityAsync(partitionKey, rowKey, ETag.All, ct), $"deleting from {table}");

    public Task<IReadOnlyList<string>> InsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct) =>
        SubmitAsync(table, rows, TableTransactionActionType.Add, ct);

    public Task<IReadOnlyList<string>> UpsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct) =>
        SubmitAsync(table, rows, TableTransactionActionType.UpsertReplace, ct);

    private Task<IReadOnlyList<string>> SubmitAsync(string table, IReadOnlyList<TableRow> rows, TableTransactionActionType type, CancellationToken ct)
    {
        if (rows.Count == 0) return Task.FromResult<IReadOnlyList<string>>([]);
        if (rows.Count > MaxTransactionRows) throw new ArgumentException("An entity group transaction holds at most 100 rows.");
        var actions = rows.Select(r => new TableTransactionAction(type, ToEntity(r))).ToList();
        return gates.Guard<IReadOnlyList<string>>(async () =>
        {
            var answers = await Table(table).SubmitTransactionAsync(actions, ct);
            return answers.Value.Select(a => a.Headers.ETag?.ToString() ?? "").ToList();
        }, $"batch writing {table}");
    }

    public Task MergeAsync(string table, TableRow row, CancellationToken ct) =>
        gates.Guard(() => Table(table).UpsertEntityAsync(ToEntity(row), TableUpdateMode.Merge, ct), $"merging into {table}");

    public Task<TablePage> QueryByRowKeyAsync(string table, string rowKey, int take, string? continuation, CancellationToken ct) =>
        PageAsync(table, TableClient.CreateQueryFilter($"RowKey eq {rowKey}"), take, continuation, ct);

    public Task<TablePage> QueryAsync(string table, string partitionKey, string? fromRowKey, int take, string? continuation,
        CancellationToken ct, string? whereProperty = null, string? equalsValue = null)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        if (fromRowKey is not null) filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {fromRowKey}");
        if (whereProperty is not null)
        {
            if (!whereProperty.All(char.IsAsciiLetterOrDigit)) throw new ArgumentException("A property name is letters and digits.", nameof(whereProperty));
            filter += $" and {whereProperty} eq " + TableClient.CreateQueryFilter($"{equalsValue ?? ""}");
        }
        return PageAsync(table, filter, take, continuation, ct);
    }

    private Task<TablePage> PageAsync(string table, string filter, int take, string? continuation, CancellationToken ct)
    {
        var pageSize = Math.Clamp(take, 1, MaxPageRows);
        return gates.Guard(async () =>
        {
            var pages = Table(table).QueryAsync<TableEntity>(filter, pageSize, cancellationToken: ct)
                .AsPages(string.IsNullOrEmpty(continuation) ? null : continuation, pageSize);
            await foreach (var page in pages)
                return new TablePage(page.Values.Select(ToRow).ToList(), string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            return new TablePage([], null);
        }, $"querying {table}");
    }

    private static TableEntity ToEntity(TableRow row)
    {
        var entity = new TableEntity(row.PartitionKey, row.RowKey) { ETag = row.ETag is null ? ETag.All : new ETag(row.ETag) };
        foreach (var (name, value) in row.Properties)
        {
            object? stored = value switch
            {
                null => null,
                string or long or int or bool or double or DateTimeOffset or byte[] => value,
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                _ => throw new ArgumentException($"Unsupported table property type {value.GetType().Name} for {name}"),
            };
            if (stored is not null) entity[name] = stored;
        }
        return entity;
    }

    private static TableRow ToRow(TableEntity e)
    {
        var row = new TableRow(e.PartitionKey, e.RowKey, e.ETag.ToString());
        foreach (var (name, value) in e)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.Contains("odata.", StringComparison.Ordinal)) continue;
            row[name] = value switch
            {
                int i => (long)i,
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                BinaryData b => b.ToArray(),
                _ => value,
            };
        }
        return row;
    }
}
