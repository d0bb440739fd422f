using Broadcast.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>The accept step's group commit. Under load, hundreds of callers create broadcasts at once; each one alone
/// would cost a table write and a queue message, and storage round trips, not work, would set the pace. Rows that
/// arrive while commits are under way wait for the next one and go together: one table transaction (all broadcast
/// rows share one partition) with a marker holding the group's start work items (<see cref="StartMarkers"/>), which
/// is all a caller waits for; the start items (one per timer) are enqueued right after. A lone caller commits at once.</summary>
public sealed class AcceptCommits(IStorage storage, StorageNames names, StartMarkers markers, TimeProvider time, ILogger<AcceptCommits> log)
{
    /// <summary>A table transaction holds at most 100 entities: the group's rows and its start marker.</summary>
    private const int MaxGroup = 99;

    /// <summary>Commits under way at once: enough to keep storage busy while a group fills, few enough that a group
    /// has time to fill (one would serialize callers on a slow round trip, many would commit groups of one).</summary>
    private const int MaxInFlight = 4;

    private readonly List<Pending> _waiting = [];
    private int _inFlight;

    private sealed record Pending(BroadcastRecord Record, TimeSpan StartDelay, TaskCompletionSource Done);

    /// <summary>Completes when the broadcast's row and its start (a work item visible after <paramref name="startDelay"/>,
    /// or the marker that guarantees one) are stored; throws if that failed, and then nothing was stored.
    /// Serving an API request, it waits at most the request's storage budget (<see cref="StorageCallBudget"/>): a
    /// broadcast whose group had not begun is then not stored at all; one whose group was being written may still be
    /// (<see cref="StorageUnavailableException.MayHaveWritten"/>).</summary>
    public async Task CommitAsync(BroadcastRecord record, TimeSpan startDelay, CancellationToken ct)
    {
        var pending = new Pending(record, startDelay, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_waiting)
        {
            _waiting.Add(pending);
            start = _inFlight < MaxInFlight;
            if (start) _inFlight++;
        }
        if (start)
        {
            // The committer outlives this caller's request: it must not run in (and trace under) its context.
            using (ExecutionContext.SuppressFlow()) _ = Task.Run(CommitWaitingAsync, CancellationToken.None);
        }
        if (StorageCallBudget.Current is not { } budget)
        {
            await pending.Done.Task.WaitAsync(ct);
            return;
        }
        try
        {
            await pending.Done.Task.WaitAsync(budget, ct);
        }
        catch (TimeoutException e)
        {
            bool neverWritten;
            lock (_waiting) neverWritten = _waiting.Remove(pending);
            throw new StorageUnavailableException($"storing the broadcast: storage did not answer within {budget.TotalSeconds:0.#} s", e)
            {
                MayHaveWritten = !neverWritten,
            };
        }
    }

    private async Task CommitWaitingAsync()
    {
        StorageLanes.Enter(StorageLane.Write); // callers are waiting for these rows
        while (true)
        {
            List<Pending> group;
            lock (_waiting)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }
                group = _waiting.Take(MaxGroup).ToList();
                _waiting.RemoveRange(0, group.Count);
            }
            try
            {
                await CommitGroupAsync(group);
            }
            catch (Exception e)
            {
                foreach (var p in group) p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Rows and marker in one transaction; the callers are answered; then the start items go out, while the
    /// next group commits.</summary>
    private async Task CommitGroupAsync(List<Pending> group)
    {
        var now = time.GetUtcNow();
        var starts = group.GroupBy(p => WholeSeconds(p.StartDelay))
            .Select(timer => new StartMarkers.PendingStart(StartWorkItem.Group(timer.Select(p => p.Record.Definition)).ToJson(), now + timer.Key))
            .ToList();
        var groupId = group[0].Record.Id;
        var rows = group.Select(p => p.Record.ToRow()).Append(StartMarkers.Row(groupId, starts, now)).ToList();
        IReadOnlyList<string> etags;
        try
        {
            etags = await InsertRowsAsync(rows);
        }
        catch (StorageConflictException)
        {
            // Sorted out row by row, some rows went in and the callers hear it failed: their broadcasts must not start.
            try { await storage.Tables.DeleteAsync(names.BroadcastsTable, BroadcastRecord.Partition, StartMarkers.RowKeyPrefix + groupId, CancellationToken.None); }
            catch (Exception) { /* storage is failing too: the sweep would start them, as if accepted */ }
            throw;
        }
        for (var i = 0; i < group.Count; i++) group[i].Record.ETag = etags[i];
        // Registered before the callers hear of it, so that SettledAsync called after an accept covers its items.
        var settling = SettleAsync(groupId, starts);
        lock (_settling) _settling.Add(settling);
        _ = settling.ContinueWith(t => { lock (_settling) _settling.Remove(t); }, TaskScheduler.Default);
        foreach (var p in group) p.Done.TrySetResult();
    }

    private readonly List<Task> _settling = [];

    /// <summary>Completes when the start items of every group committed so far are enqueued, or failed to be (then
    /// the sweep's).</summary>
    public Task SettledAsync()
    {
        lock (_settling) return Task.WhenAll(_settling.ToList());
    }

    private async Task SettleAsync(string groupId, IReadOnlyList<StartMarkers.PendingStart> starts)
    {
        try
        {
            await markers.SettleAsync(groupId, starts, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning("Accepted broadcasts' start items could not be enqueued yet ({Error}); the start sweep will", e.Message);
        }
    }

    /// <summary>Inserted, never replaced: a row already there is another broadcast's (a request finishing under an id
    /// it had claimed) and must not be overwritten. A conflict in the group is sorted out row by row; a row that holds
    /// exactly what we wrote is our own transaction, retried by the client after it had in fact landed.</summary>
    private async Task<IReadOnlyList<string>> InsertRowsAsync(List<TableRow> rows)
    {
        try
        {
            return await storage.Tables.InsertBatchAsync(names.BroadcastsTable, rows, CancellationToken.None);
        }
        catch (StorageConflictException)
        {
        }
        return await Task.WhenAll(rows.Select(InsertOneAsync));

        async Task<string> InsertOneAsync(TableRow row)
        {
            try
            {
                return await storage.Tables.InsertAsync(names.BroadcastsTable, row, CancellationToken.None);
            }
            catch (StorageConflictException)
            {
                var existing = await storage.Tables.GetAsync(names.BroadcastsTable, row.PartitionKey, row.RowKey, CancellationToken.None);
                if (existing is not null && Equals(existing["Definition"], row["Definition"])) return existing.ETag!;
                throw;
            }
        }
    }

    /// <summary>Queue delays are whole seconds: timers that round alike share a start item.</summary>
    private static TimeSpan WholeSeconds(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
}
