using Broadcast.Core.Storage;

namespace Broadcast.Functions.Drops;

/// <summary>A drop this instance owns: its lease is renewed while the work runs, and every write is conditioned on
/// the receipt's ETag, so an instance that lost the drop (lease run out, taken over) can never overwrite the outcome.</summary>
internal sealed class DropClaim : IAsyncDisposable
{
    private readonly ITableStore _tables;
    private readonly string _table;
    private readonly TableRow _row; // as stored: a write that fails changes nothing
    private readonly TimeSpan _lease;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly Task _renewing;

    public DropClaim(ITableStore tables, string table, TableRow row, TimeSpan lease, TimeProvider clock)
    {
        _tables = tables;
        _table = table;
        _row = row;
        _lease = lease;
        _clock = clock;
        _renewing = RenewAsync();
    }

    public int Attempts => _row.GetInt("Attempts");

    public string? LastError => _row.GetString("LastError");

    /// <summary>Cancelled when another instance took the drop over.</summary>
    public CancellationToken Lost => _lost.Token;

    public Task<bool> StartedAsync(string uploadId, string broadcastId, CancellationToken ct) => FinishAsync(row =>
    {
        row["State"] = DropReceipts.Started;
        row["UploadId"] = uploadId;
        row["BroadcastId"] = broadcastId;
    }, ct);

    public Task<bool> InvalidAsync(DropProblem problem, CancellationToken ct) => FinishAsync(row =>
    {
        row["State"] = DropReceipts.Invalid;
        row["Detail"] = problem.Detail.Length <= 1000 ? problem.Detail : problem.Detail[..1000];
        if (problem.UploadId is not null) row["UploadId"] = problem.UploadId;
    }, ct);

    public Task<bool> SupersededAsync(CancellationToken ct) => FinishAsync(row => row["State"] = DropReceipts.Superseded, ct);

    /// <summary>Gives the drop back after a failure: it may be claimed again (by anyone) after <paramref name="retryAfter"/>.</summary>
    public Task<bool> ReleaseAsync(TimeSpan retryAfter, string? error) => FinishAsync(row =>
    {
        row["LeaseUntil"] = _clock.GetUtcNow() + retryAfter;
        row["LastError"] = error;
    }, CancellationToken.None);

    private async Task<bool> FinishAsync(Action<TableRow> change, CancellationToken ct)
    {
        await _stopRenewing.CancelAsync();
        await _renewing;
        return await WriteAsync(change, ct);
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(_lease / 3, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopRenewing.Token))
            {
                try
                {
                    if (!await WriteAsync(row => row["LeaseUntil"] = _clock.GetUtcNow() + _lease, _stopRenewing.Token)) return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Storage unreachable for now: the next renewal may still come in time.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>False when the claim was lost to another instance.</summary>
    private async Task<bool> WriteAsync(Action<TableRow> change, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_lost.IsCancellationRequested) return false;
            var next = new TableRow(_row.PartitionKey, _row.RowKey, _row.ETag);
            foreach (var (name, value) in _row.Properties) next[name] = value;
            change(next);
            var etag = await _tables.ReplaceAsync(_table, next, ct);
            foreach (var (name, value) in next.Properties) _row[name] = value;
            _row.ETag = etag;
            return true;
        }
        catch (StoragePreconditionFailedException)
        {
            await _lost.CancelAsync();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopRenewing.CancelAsync();
        await _renewing;
        _stopRenewing.Dispose();
        _lost.Dispose();
        _gate.Dispose();
    }
}
