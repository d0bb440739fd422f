using System.Security.Cryptography;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>Broadcast rows, each in a partition of its own (its id: ids sort newest first, and so do the partitions)
/// beside its progress rows, so that no partition is hot: every <c>?wait</c> poll, progress write and cancel look
/// touches one broadcast's partition only.</summary>
public sealed class BroadcastStore(ITableStore tables, StorageNames names, BroadcastInstances instances, TimeProvider time)
{
    private string Table => names.BroadcastsTable;

    /// <summary>A lost ETag race is tried again this often at most, then reported: a row that busy has a bug behind it.</summary>
    public const int MaxConflictRetries = 20;

    /// <summary>A create writes the row, then schedules the orchestration, and takes the row back if that fails. Should
    /// taking it back fail too, the row is left unaccepted: readers check rows still unaccepted after this long (a
    /// create takes milliseconds) against the orchestration, and remove the row if there is none.</summary>
    public static readonly TimeSpan AcceptGrace = TimeSpan.FromSeconds(60);

    /// <summary>An id that sorts newest first: inverted milliseconds in base 36, then randomness.</summary>
    public static string NewId(DateTimeOffset now)
    {
        const long max = 101_559_956_668_415; // 36^9 - 1
        var inverted = max - now.ToUnixTimeMilliseconds();
        return Base36(inverted, 9) + Base36((long)(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) % 78_364_164_096UL), 7);
    }

    private static string Base36(long value, int width)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var chars = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            chars[i] = digits[(int)(value % 36)];
            value /= 36;
        }
        return new string(chars);
    }

    public static bool IsWellFormedId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async Task InsertAsync(BroadcastRecord record, CancellationToken ct)
    {
        var row = record.ToRow();
        try
        {
            record.ETag = await tables.InsertAsync(Table, row, ct);
        }
        catch (StorageConflictException)
        {
            // Ids are new (random), so a conflict is the storage client retrying an insert whose first attempt was
            // stored but answered too late (a loaded account): that row, with our definition, is ours.
            var stored = await tables.GetAsync(Table, record.Id, BroadcastRecord.RowKey, ct);
            if (stored?.GetString("Definition") != row.GetString("Definition")) throw;
            record.ETag = stored!.ETag;
        }
    }

    /// <summary>Takes back the row of a create that failed before its orchestration was scheduled.</summary>
    public Task DeleteAsync(string id, CancellationToken ct) => tables.DeleteAsync(Table, id, BroadcastRecord.RowKey, ct);

    /// <summary>The broadcast with its live counters: its row and its progress rows, in one query of its partition.</summary>
    public async Task<BroadcastRecord?> GetAsync(string id, CancellationToken ct)
    {
        if (!IsWellFormedId(id)) return null;
        var readAt = Environment.TickCount64;
        var page = await tables.QueryAsync(Table, id, null, 1000, null, ct);
        var row = page.Rows.FirstOrDefault(r => r.RowKey == BroadcastRecord.RowKey);
        if (row is null) return null;
        var record = BroadcastRecord.FromRow(row, readAt);
        if (!await IsAcceptedAsync(record, ct)) return null;
        record.Live = page.Rows.Where(r => BroadcastProgress.IsProgressRow(r.RowKey)).Aggregate(Tally.None, (sum, r) => sum + BroadcastProgress.Sum(r));
        return record;
    }

    /// <summary>The broadcast's own row, without its progress (for writers, who never change the counters).</summary>
    private async Task<BroadcastRecord?> GetRowAsync(string id, CancellationToken ct)
    {
        var readAt = Environment.TickCount64;
        var row = await tables.GetAsync(Table, id, BroadcastRecord.RowKey, ct);
        return row is null ? null : BroadcastRecord.FromRow(row, readAt);
    }

    /// <summary>Writes what batches have committed so far (absolute per batch: a repeat changes nothing).</summary>
    public Task ReportProgressAsync(string id, IReadOnlyDictionary<int, Tally> tallies, CancellationToken ct) =>
        Task.WhenAll(BroadcastProgress.Rows(id, tallies).Select(row => tables.MergeAsync(Table, row, ct)));

    /// <summary>A row outside every broadcast's partition whose version changes with every cancel: instances sending
    /// watch this one row instead of reading every broadcast they send for (<see cref="CancelWatch"/>).</summary>
    private const string CancelNoticePartition = "~cancel-notice";

    /// <summary>Changes the cancel notice's version; call after the broadcast is marked canceling.</summary>
    public Task NoteCancelAsync(string id, CancellationToken ct) =>
        tables.ReplaceAsync(Table, new TableRow(CancelNoticePartition, "latest") { ["BroadcastId"] = id, ["At"] = time.GetUtcNow() }, ct);

    /// <summary>The cancel notice's version (its ETag), null before the first cancel.</summary>
    public async Task<string?> CancelNoticeVersionAsync(CancellationToken ct) =>
        (await tables.GetAsync(Table, CancelNoticePartition, "latest", ct))?.ETag;

    /// <summary>Read, change, write with the ETag; again on a lost race, a few milliseconds apart at random, at most
    /// <see cref="MaxConflictRetries"/> times. <paramref name="change"/> returns false to leave the row as it is. A
    /// writer that keeps the row it wrote last passes it as <paramref name="known"/> and saves the read (the ETag
    /// tells if anyone wrote since). The answer carries the live counters of <paramref name="known"/>, if any.</summary>
    public async Task<BroadcastRecord?> UpdateAsync(string id, Func<BroadcastRecord, bool> change, CancellationToken ct, BroadcastRecord? known = null)
    {
        var record = known?.Copy();
        for (var attempt = 0; ; attempt++)
        {
            record ??= await GetRowAsync(id, ct);
            if (record is null) return null;
            if (known is not null) record.Live = known.Live;
            if (!change(record)) return record;
            try
            {
                record.ETag = await tables.ReplaceAsync(Table, record.ToRow(), ct);
                return record;
            }
            catch (StoragePreconditionFailedException) when (attempt < MaxConflictRetries)
            {
                record = null;
                // Spread out, so that writers racing for the row do not race again; a little longer each time.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10) * (1 + attempt / 4)), time, ct);
            }
        }
    }

    /// <summary>False for the row of a create that failed half-way (see <see cref="AcceptGrace"/>), which it removes.</summary>
    private async Task<bool> IsAcceptedAsync(BroadcastRecord record, CancellationToken ct)
    {
        if (record.Accepted || record.Status != BroadcastStatus.Scheduled || time.GetUtcNow() - record.Definition.CreatedAt < AcceptGrace)
            return true;
        if (await instances.IsPendingAsync(record.Id, ct))
        {
            await UpdateAsync(record.Id, r => !r.Accepted && (r.Accepted = true), ct, record);
            return true;
        }
        // Read again: its orchestration may have just started it.
        var now = await GetRowAsync(record.Id, ct);
        if (now is null || now.Accepted || now.Status != BroadcastStatus.Scheduled) return now is not null;
        await DeleteAsync(record.Id, ct);
        return false;
    }

    /// <summary>Some recipients wait for the messaging limit's window: the broadcast shows <c>waiting</c> until the
    /// soonest of its batches' <paramref name="resumesAt"/>.</summary>
    public Task MarkWaitingAsync(string id, DateTimeOffset resumesAt, CancellationToken ct) =>
        UpdateAsync(id, r =>
        {
            if (!BroadcastStatus.IsActive(r.Status)) return false;
            var sooner = r.Status == BroadcastStatus.Waiting && r.ResumesAt is { } other && other < resumesAt && other > time.GetUtcNow();
            r.Status = BroadcastStatus.Waiting;
            if (!sooner) r.ResumesAt = resumesAt;
            return true;
        }, ct);

    /// <summary>Newest first, with live counters for the ones still running.</summary>
    public async Task<(IReadOnlyList<BroadcastRecord> Items, string? Continuation)> ListAsync(int take, string? continuation, CancellationToken ct)
    {
        var page = await tables.QueryByRowKeyAsync(Table, BroadcastRecord.RowKey, take, continuation, ct);
        var rows = page.Rows.Select(r => BroadcastRecord.FromRow(r)).ToList();
        var accepted = await Task.WhenAll(rows.Select(r => IsAcceptedAsync(r, ct)));
        var records = rows.Where((_, i) => accepted[i]).ToList();
        await Task.WhenAll(records.Where(r => r.CompletedAt is null && r.StartedAt is not null).Select(async r =>
        {
            var progress = await tables.QueryAsync(Table, r.Id, BroadcastProgress.RowKeyPrefix, 1000, null, ct);
            r.Live = progress.Rows.Where(p => BroadcastProgress.IsProgressRow(p.RowKey)).Aggregate(Tally.None, (sum, p) => sum + BroadcastProgress.Sum(p));
        }));
        return (records, page.Continuation);
    }
}
