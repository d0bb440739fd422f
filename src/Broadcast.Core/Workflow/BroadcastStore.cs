using System.Security.Cryptography;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>Broadcast rows: one partition, row keys that sort newest first.</summary>
public sealed class BroadcastStore(ITableStore tables, StorageNames names, TimeProvider? time = null)
{
    private string Table => names.BroadcastsTable;

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
        record.ETag = await tables.InsertAsync(Table, row, ct);
    }

    public async Task<BroadcastRecord?> GetAsync(string id, CancellationToken ct)
    {
        if (!IsWellFormedId(id)) return null;
        var readAt = Environment.TickCount64;
        var row = await tables.GetAsync(Table, BroadcastRecord.Partition, id, ct);
        return row is null ? null : BroadcastRecord.FromRow(row, readAt);
    }

    /// <summary>A row outside the broadcasts' partition whose version changes with every cancel: instances sending
    /// watch this one row instead of reading every broadcast they send for (<see cref="CancelWatch"/>).</summary>
    private const string CancelNoticePartition = "cancel-notice";

    /// <summary>Changes the cancel notice's version; call after the broadcast is marked canceling.</summary>
    public Task NoteCancelAsync(string id, CancellationToken ct) =>
        tables.ReplaceAsync(Table, new TableRow(CancelNoticePartition, "latest") { ["BroadcastId"] = id, ["At"] = (time ?? TimeProvider.System).GetUtcNow() }, ct);

    /// <summary>The cancel notice's version (its ETag), null before the first cancel.</summary>
    public async Task<string?> CancelNoticeVersionAsync(CancellationToken ct) =>
        (await tables.GetAsync(Table, CancelNoticePartition, "latest", ct))?.ETag;

    /// <summary>Read, change, write with the ETag; again on a lost race. <paramref name="change"/> returns false
    /// to leave the row as it is. A writer that keeps the row it wrote last passes it as <paramref name="known"/>
    /// and saves the read (the ETag tells if anyone wrote since); <paramref name="change"/> may then see an old row,
    /// so it must only decide on what never goes back (counted batches, terminal outcomes).</summary>
    public async Task<BroadcastRecord?> UpdateAsync(string id, Func<BroadcastRecord, bool> change, CancellationToken ct, BroadcastRecord? known = null)
    {
        var record = known;
        while (true)
        {
            record ??= await GetAsync(id, ct);
            if (record is null || !change(record)) return record;
            try
            {
                record.ETag = await tables.ReplaceAsync(Table, record.ToRow(), ct);
                return record;
            }
            catch (StoragePreconditionFailedException)
            {
                record = null;
                // A few milliseconds apart, at random, so that writers racing for the row do not race again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10)), time ?? TimeProvider.System, ct);
            }
        }
    }

    public async Task<(IReadOnlyList<BroadcastRecord> Items, string? Continuation)> ListAsync(int take, string? continuation, CancellationToken ct)
    {
        var page = await tables.QueryAsync(Table, BroadcastRecord.Partition, null, take, continuation, ct);
        // Start markers sort after every broadcast (StartMarkers.RowKeyPrefix): the last page may hold them.
        return (page.Rows.Where(r => !StartMarkers.IsMarker(r.RowKey)).Select(r => BroadcastRecord.FromRow(r)).ToList(), page.Continuation);
    }
}
