using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Broadcast.Core.Storage;

namespace Broadcast.Tests.Infrastructure.Storage;

/// <summary>An <see cref="IStorage"/> in memory, for unit tests of the workflow's logic that must run in
/// milliseconds: ETag-conditional rows, merges, 100-row transactions, blobs that appear when their writer is disposed. It passes the same <see cref="StorageContract"/> suite as Azure
/// Storage, so it cannot drift from what the product relies on.</summary>
public sealed class InMemoryStorage(TimeProvider clock) : IStorage
{
    public InMemoryStorage() : this(TimeProvider.System)
    {
    }

    public ITableStore Tables { get; } = new InMemoryTables();
    public IBlobStore Blobs { get; } = new InMemoryBlobs(clock);

    public Task EnsureCreatedAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<bool> PingAsync(CancellationToken ct) => Task.FromResult(true);

    private static long _etags;

    internal static string NextETag() => $"W/\"{Interlocked.Increment(ref _etags)}\"";

    private sealed class InMemoryTables : ITableStore
    {
        // One lock per table keeps a transaction atomic and a conditional replace race-free.
        private readonly ConcurrentDictionary<string, SortedDictionary<(string, string), TableRow>> _tables = new();

        private SortedDictionary<(string, string), TableRow> Table(string name) => _tables.GetOrAdd(name, _ => new());

        public Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
        {
            var rows = Table(table);
            lock (rows) return Task.FromResult(rows.TryGetValue((partitionKey, rowKey), out var row) ? Copy(row, row.ETag) : null);
        }

        public Task<string> InsertAsync(string table, TableRow row, CancellationToken ct)
        {
            var rows = Table(table);
            lock (rows)
            {
                if (rows.ContainsKey((row.PartitionKey, row.RowKey)))
                    throw new StorageConflictException($"inserting into {table}: already exists");
                return Task.FromResult(Store(rows, row));
            }
        }

        public Task<string> ReplaceAsync(string table, TableRow row, CancellationToken ct)
        {
            var rows = Table(table);
            lock (rows)
            {
                if (row.ETag is not null && (!rows.TryGetValue((row.PartitionKey, row.RowKey), out var current) || current.ETag != row.ETag))
                    throw new StoragePreconditionFailedException($"replacing in {table}: changed by someone else");
                return Task.FromResult(Store(rows, row));
            }
        }

        public Task DeleteAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
        {
            var rows = Table(table);
            lock (rows) rows.Remove((partitionKey, rowKey));
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<string>> InsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct)
        {
            if (rows.Count > 100) throw new ArgumentException("An entity group transaction holds at most 100 rows.");
            if (rows.Select(r => r.PartitionKey).Distinct().Count() > 1) throw new ArgumentException("A transaction stays in one partition.");
            var stored = Table(table);
            lock (stored)
            {
                if (rows.Any(r => stored.ContainsKey((r.PartitionKey, r.RowKey))))
                    throw new StorageConflictException($"batch inserting into {table}: already exists");
                return Task.FromResult<IReadOnlyList<string>>(rows.Select(row => Store(stored, row)).ToList());
            }
        }

        public Task<IReadOnlyList<string>> UpsertBatchAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken ct)
        {
            if (rows.Count > 100) throw new ArgumentException("An entity group transaction holds at most 100 rows.");
            if (rows.Select(r => r.PartitionKey).Distinct().Count() > 1) throw new ArgumentException("A transaction stays in one partition.");
            var stored = Table(table);
            lock (stored)
                return Task.FromResult<IReadOnlyList<string>>(rows.Select(row => Store(stored, row)).ToList());
        }

        public Task MergeAsync(string table, TableRow row, CancellationToken ct)
        {
            var rows = Table(table);
            lock (rows)
            {
                var merged = rows.TryGetValue((row.PartitionKey, row.RowKey), out var current) ? Copy(current, null) : new TableRow(row.PartitionKey, row.RowKey);
                foreach (var (name, value) in row.Properties) merged[name] = value;
                Store(rows, merged);
            }
            return Task.CompletedTask;
        }

        public Task<TablePage> QueryByRowKeyAsync(string table, string rowKey, int take, string? continuation, CancellationToken ct)
        {
            var pageSize = Math.Clamp(take, 1, 1000);
            var rows = Table(table);
            lock (rows)
            {
                var matching = rows.Values
                    .Where(r => r.RowKey == rowKey && (continuation is null || string.CompareOrdinal(r.PartitionKey, continuation) >= 0))
                    .Take(pageSize + 1)
                    .Select(r => Copy(r, r.ETag))
                    .ToList();
                var next = matching.Count > pageSize ? matching[pageSize].PartitionKey : null;
                return Task.FromResult(new TablePage(matching.Take(pageSize).ToList(), next));
            }
        }

        public Task<TablePage> QueryAsync(string table, string partitionKey, string? fromRowKey, int take, string? continuation,
            CancellationToken ct, string? whereProperty = null, string? equalsValue = null)
        {
            var from = continuation ?? fromRowKey ?? "";
            var pageSize = Math.Clamp(take, 1, 1000);
            var rows = Table(table);
            lock (rows)
            {
                var matching = rows.Values
                    .Where(r => r.PartitionKey == partitionKey && string.CompareOrdinal(r.RowKey, from) >= 0)
                    .Where(r => whereProperty is null || r[whereProperty] as string == (equalsValue ?? ""))
                    .Take(pageSize + 1)
                    .Select(r => Copy(r, r.ETag))
                    .ToList();
                var next = matching.Count > pageSize ? matching[pageSize].RowKey : null;
                return Task.FromResult(new TablePage(matching.Take(pageSize).ToList(), next));
            }
        }

        private static string Store(SortedDictionary<(string, string), TableRow> rows, TableRow row)
        {
            var etag = NextETag();
            rows[(row.PartitionKey, row.RowKey)] = Copy(row, etag);
            return row.ETag = etag;
        }

        /// <summary>A copy as storage keeps it: no nulls, ints widened to long, DateTime as DateTimeOffset, bytes copied.</summary>
        private static TableRow Copy(TableRow row, string? etag)
        {
            var copy = new TableRow(row.PartitionKey, row.RowKey, etag);
            foreach (var (name, value) in row.Properties)
            {
                if (value is null) continue;
                copy[name] = value switch
                {
                    int i => (long)i,
                    DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                    byte[] b => b.ToArray(),
                    string or long or bool or double or DateTimeOffset => value,
                    _ => throw new ArgumentException($"Unsupported table property type {value.GetType().Name} for {name}"),
                };
            }
            return copy;
        }
    }

    private sealed class InMemoryBlobs(TimeProvider clock) : IBlobStore
    {
        private sealed record Blob(byte[] Content, string ContentType, Dictionary<string, string> Metadata, string ETag, DateTimeOffset LastModified);

        private readonly ConcurrentDictionary<(string Container, string Name), Blob> _blobs = new();

        public Task EnsureContainerAsync(string container, CancellationToken ct) => Task.CompletedTask;

        public Task<Stream> OpenWriteAsync(string container, string name, string contentType, CancellationToken ct) =>
            Task.FromResult<Stream>(new CommitOnDispose(bytes => Put(container, name, bytes, contentType, null)));

        public Task UploadAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct,
            IReadOnlyDictionary<string, string>? metadata = null)
        {
            Put(container, name, content.ToArray(), contentType, metadata);
            return Task.CompletedTask;
        }

        public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct) =>
            Task.FromResult<Stream?>(_blobs.TryGetValue((container, name), out var b) ? new MemoryStream(b.Content, writable: false) : null);

        public Task<byte[]?> ReadAllAsync(string container, string name, CancellationToken ct) =>
            Task.FromResult(_blobs.TryGetValue((container, name), out var b) ? b.Content.ToArray() : null);

        public Task<byte[]> ReadRangeAsync(string container, string name, long offset, int length, CancellationToken ct)
        {
            if (!_blobs.TryGetValue((container, name), out var b)) throw new IOException($"reading {container}/{name}: storage answered 404 BlobNotFound");
            var start = (int)Math.Min(offset, b.Content.Length);
            return Task.FromResult(b.Content.AsSpan(start, Math.Min(length, b.Content.Length - start)).ToArray());
        }

        public Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct) =>
            Task.FromResult(_blobs.TryGetValue((container, name), out var b) ? Info(name, b) : null);

        public Task SetMetadataAsync(string container, string name, IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
        {
            while (true)
            {
                if (!_blobs.TryGetValue((container, name), out var b)) throw new IOException($"writing metadata of {container}/{name}: storage answered 404 BlobNotFound");
                var merged = new Dictionary<string, string>(b.Metadata, StringComparer.OrdinalIgnoreCase);
                foreach (var (k, v) in metadata) merged[k] = v;
                if (_blobs.TryUpdate((container, name), b with { Metadata = merged, ETag = NextETag() }, b)) return Task.CompletedTask;
            }
        }

        public async IAsyncEnumerable<BlobInfo> ListAsync(string container, string? prefix, [EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Yield();
            foreach (var (key, blob) in _blobs.Where(kv => kv.Key.Container == container && kv.Key.Name.StartsWith(prefix ?? "", StringComparison.Ordinal))
                         .OrderBy(kv => kv.Key.Name, StringComparer.Ordinal).ToList())
                yield return Info(key.Name, blob);
        }

        public Task DeleteAsync(string container, string name, CancellationToken ct)
        {
            _blobs.TryRemove((container, name), out _);
            return Task.CompletedTask;
        }

        private void Put(string container, string name, byte[] content, string contentType, IReadOnlyDictionary<string, string>? metadata) =>
            _blobs[(container, name)] = new Blob(content, contentType,
                new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
                NextETag(), clock.GetUtcNow());

        private static BlobInfo Info(string name, Blob b) =>
            new(name, b.Content.Length, b.ETag, b.LastModified, new Dictionary<string, string>(b.Metadata, StringComparer.OrdinalIgnoreCase));

        /// <summary>Collects writes; the blob appears whole when the stream is disposed, as a committed block list does.</summary>
        private sealed class CommitOnDispose(Action<byte[]> commit) : MemoryStream
        {
            private bool _committed;

            protected override void Dispose(bool disposing)
            {
                if (disposing && !_committed)
                {
                    _committed = true;
                    commit(ToArray());
                }
                base.Dispose(disposing);
            }

            public override ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
