using System.Collections.Concurrent;
using Broadcast.Core.Storage;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Table;

namespace Broadcast.Storage;

internal sealed class AzureTableStore(CloudTableClient client) : ITableStore
{
    private readonly ConcurrentDictionary<string, CloudTable> _tables = new();

    private CloudTable Table(string name) => _tables.GetOrAdd(name, client.GetTableReference);

    public Task EnsureTableAsync(string name, CancellationToken ct) => Table(name).CreateIfNotExistsAsync(null, null, ct);

    public async Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        try
        {
            var result = await Table(table).ExecuteAsync(TableOperation.Retrieve(partitionKey, rowKey), null, null, ct);
            return result.Result is DynamicTableEntity e ? ToRow(e) : null;
        }
        catch (StorageException e) when (e.RequestInformation?.HttpStatusCode == 404)
        {
            return null;
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"reading {table}");
        }
    }

    public async Task<string> InsertAsync(string table, TableRow row, CancellationToken ct)
    {
        try
        {
            var result = await Table(table).ExecuteAsync(TableOperation.Insert(ToEntity(row)), null, null, ct);
            return row.ETag = result.Etag;
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"inserting into {table}");
        }
    }

    public async Task<string> ReplaceAsync(string table, TableRow row, CancellationToken ct)
    {
        var entity = ToEntity(row);
        var op = row.ETag is null ? TableOperation.InsertOrReplace(entity) : TableOperation.Replace(entity);
        try
        {
            var result = await Table(table).ExecuteAsync(op, null, null, ct);
            return row.ETag = result.Etag;
        }
        catch (StorageException e) when (row.ETag is not null && e.RequestInformation?.HttpStatusCode == 404)
        {
            throw new StoragePreconditionFailedException($"replacing in {table}: the row is gone", e);
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"replacing in {table}");
        }
    }

    public async Task DeleteAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        try
        {
            await Table(table).ExecuteAsync(TableOperation.Delete(new DynamicTableEntity(partitionKey, rowKey) { ETag = "*" }), null, null, ct);
        }
        catch (StorageException e) when (e.RequestInformation?.HttpStatusCode == 404)
        {
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"deleting from {table}");
        }
    }

    public async Task UpsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        if (rows.Count > 100) throw new ArgumentException("An entity group transaction holds at most 100 rows.");
        var batch = new TableBatchOperation();
        foreach (var row in rows) batch.InsertOrReplace(ToEntity(row));
        try
        {
            await Table(table).ExecuteBatchAsync(batch, null, null, ct);
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"batch writing {table}");
        }
    }

    public async Task<TablePage> QueryAsync(string table, string partitionKey, string? fromRowKey, int take, string? continuation,
        CancellationToken ct, string? whereProperty = null, string? equalsValue = null)
    {
        var filter = TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, partitionKey);
        if (fromRowKey is not null)
            filter = TableQuery.CombineFilters(filter, TableOperators.And,
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, fromRowKey));
        if (whereProperty is not null)
            filter = TableQuery.CombineFilters(filter, TableOperators.And,
                TableQuery.GenerateFilterCondition(whereProperty, QueryComparisons.Equal, equalsValue ?? ""));
        var query = new TableQuery { FilterString = filter, TakeCount = Math.Clamp(take, 1, 1000) };
        try
        {
            var segment = await Table(table).ExecuteQuerySegmentedAsync(query, DecodeToken(continuation), null, null, ct);
            return new TablePage(segment.Results.Select(ToRow).ToList(), EncodeToken(segment.ContinuationToken));
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"querying {table}");
        }
    }

    private static string? EncodeToken(TableContinuationToken? token) =>
        token is null ? null : $"{token.NextPartitionKey}\n{token.NextRowKey}";

    private static TableContinuationToken? DecodeToken(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value.Split('\n');
        return new TableContinuationToken { NextPartitionKey = parts[0], NextRowKey = parts.Length > 1 ? parts[1] : null };
    }

    private static DynamicTableEntity ToEntity(TableRow row)
    {
        var entity = new DynamicTableEntity(row.PartitionKey, row.RowKey) { ETag = row.ETag ?? "*" };
        foreach (var (name, value) in row.Properties)
        {
            EntityProperty? p = value switch
            {
                null => null,
                string s => new EntityProperty(s),
                long l => new EntityProperty(l),
                int i => new EntityProperty(i),
                bool b => new EntityProperty(b),
                double d => new EntityProperty(d),
                DateTimeOffset d => new EntityProperty(d),
                DateTime d => new EntityProperty(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))),
                byte[] bytes => new EntityProperty(bytes),
                _ => throw new ArgumentException($"Unsupported table property type {value.GetType().Name} for {name}"),
            };
            if (p is not null) entity.Properties[name] = p;
        }
        return entity;
    }

    private static TableRow ToRow(DynamicTableEntity e)
    {
        var row = new TableRow(e.PartitionKey, e.RowKey, e.ETag);
        foreach (var (name, p) in e.Properties)
        {
            row[name] = p.PropertyType switch
            {
                EdmType.String => p.StringValue,
                EdmType.Int64 => p.Int64Value,
                EdmType.Int32 => (long?)p.Int32Value,
                EdmType.Boolean => p.BooleanValue,
                EdmType.Double => p.DoubleValue,
                EdmType.DateTime => p.DateTimeOffsetValue,
                EdmType.Binary => p.BinaryValue,
                _ => p.PropertyAsObject,
            };
        }
        return row;
    }
}
