using Broadcast.Core.Storage;

namespace Broadcast.Core.Suppressions;

/// <summary>Numbers that asked not to be messaged. Sends check an in-process copy, refreshed from the table at
/// least every <see cref="RefreshEvery"/> while in use; this process's own changes apply at once.</summary>
public sealed class SuppressionList(ITableStore tables, StorageNames names, TimeProvider time)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    private const string Partition = "phone";
    private const string Active = "active";
    private const string Removed = "removed";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile HashSet<string>? _snapshot;
    private DateTimeOffset _loadedAt;

    private string Table => names.SuppressionsTable;

    public async Task AddAsync(string phone, string? reason, string source, CancellationToken ct)
    {
        var row = new TableRow(Partition, phone)
        {
            ["State"] = Active,
            ["Reason"] = reason,
            ["Source"] = source,
            ["CreatedAt"] = time.GetUtcNow(),
        };
        await tables.ReplaceAsync(Table, row, ct);
        Change(set => set.Add(phone));
    }

    /// <summary>Removes a number; false when it was not on the list. Kept as a tombstone so every instance's
    /// copy learns of it on its next refresh.</summary>
    public async Task<bool> RemoveAsync(string phone, CancellationToken ct)
    {
        var existing = await tables.GetAsync(Table, Partition, phone, ct);
        if (existing is null || existing.GetString("State") != Active) return false;
        existing["State"] = Removed;
        existing.ETag = null;
        await tables.ReplaceAsync(Table, existing, ct);
        Change(set => set.Remove(phone));
        return true;
    }

    public async Task<Suppression?> GetAsync(string phone, CancellationToken ct)
    {
        var row = await tables.GetAsync(Table, Partition, phone, ct);
        return row is null || row.GetString("State") != Active ? null : ToSuppression(row);
    }

    public async Task<(IReadOnlyList<Suppression> Items, string? Continuation)> ListAsync(int take, string? continuation, CancellationToken ct)
    {
        var page = await tables.QueryAsync(Table, Partition, null, take, continuation, ct, "State", Active);
        return (page.Rows.Select(ToSuppression).ToList(), page.Continuation);
    }

    /// <summary>The numbers to skip, as of at most <see cref="RefreshEvery"/> ago.</summary>
    public async Task<IReadOnlySet<string>> CurrentAsync(CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - _loadedAt < RefreshEvery) return snapshot;
        await _loading.WaitAsync(ct);
        try
        {
            if (_snapshot is not null && time.GetUtcNow() - _loadedAt < RefreshEvery) return _snapshot;
            var set = new HashSet<string>(StringComparer.Ordinal);
            string? continuation = null;
            do
            {
                var page = await tables.QueryAsync(Table, Partition, null, 1000, continuation, ct, "State", Active);
                foreach (var row in page.Rows) set.Add(row.RowKey);
                continuation = page.Continuation;
            } while (continuation is not null);
            _snapshot = set;
            _loadedAt = time.GetUtcNow();
            return set;
        }
        finally
        {
            _loading.Release();
        }
    }

    private void Change(Action<HashSet<string>> change)
    {
        var current = _snapshot;
        if (current is null) return;
        var copy = new HashSet<string>(current, StringComparer.Ordinal);
        change(copy);
        _snapshot = copy;
    }

    private static Suppression ToSuppression(TableRow row) =>
        new(row.RowKey, row.GetString("Reason"), row.GetString("Source") ?? "api", row.GetDate("CreatedAt") ?? DateTimeOffset.MinValue);
}
