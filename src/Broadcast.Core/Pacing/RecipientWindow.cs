using System.Buffers.Binary;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Pacing;

/// <summary>
/// WhatsApp's messaging limit, for every instance: unique recipients messaged on a channel in a moving window
/// never exceed <c>DailyRecipientLimit</c>. The channel's ledger row holds how many recipients were first counted
/// in each of 1,440 slices of the window (a minute each in 24 hours); each recipient's row says in which slice it
/// is counted. A batch asks once for all its recipients: recipients already counted in the window go (and move
/// to the current slice, so that they stay counted a full window after their last message); new ones go while
/// the ledger has room, taken with one ETag-conditional write. Cost per batch: one read per recipient, one
/// ledger read and write, one write per 100 recipients of a partition, and only when the setting is on.
/// <para>Two batches holding the same new number at the same moment may both count it: the limit is then
/// reached a little early, never exceeded.</para>
/// </summary>
public sealed class RecipientWindow(ITableStore tables, StorageNames names, TimeProvider time)
{
    /// <summary>Slices of the window: a minute each in 24 hours, so resumes_at is exact to the minute, and the
    /// ledger row stays under 18 KB.</summary>
    public const int Slices = 1440;

    private const string LedgerRow = "window";
    private const string RowPrefix = "d:";
    /// <summary>Recipient rows read at once for one batch.</summary>
    private const int ReadParallelism = 32;

    public async Task<Admission> AdmitAsync(string channelKey, int limit, TimeSpan window,
        IReadOnlyList<(int Index, string Phone)> pending, CancellationToken ct)
    {
        if (pending.Count == 0) return Admission.Everyone;
        var channel = PacingKeys.Channel(channelKey);
        var slice = SliceTicks(window);
        var now = time.GetUtcNow();
        var current = now.UtcTicks / slice;

        // 1. Who is already counted in the window (and in which slice).
        var phones = pending.Select(p => p.Phone).Distinct(StringComparer.Ordinal).ToList();
        var countedIn = new Dictionary<string, long?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(phones, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = ct },
            async (phone, c) =>
            {
                var row = await tables.GetAsync(names.RecipientPacingTable, PacingKeys.RecipientPartition(channel, phone), PacingKeys.RecipientRow(RowPrefix, phone), c);
                long? counted = row is not null && Expiry(row.GetLong("Slice"), slice, window) > now ? row.GetLong("Slice") : null;
                lock (countedIn) countedIn[phone] = counted;
            });
        var fresh = phones.Where(p => countedIn[p] is null).ToList();
        var moved = phones.Where(p => countedIn[p] is { } s && s != current).ToList();

        // 2. Take room in the ledger for as many new ones as fit.
        List<string> admitted;
        SortedDictionary<long, int> ledger;
        while (true)
        {
            var row = await tables.GetAsync(names.ChannelLeasesTable, channel, LedgerRow, ct);
            ledger = Parse(row?.GetBytes("Slices"));
            foreach (var expired in ledger.Keys.Where(s => Expiry(s, slice, window) <= now).ToList()) ledger.Remove(expired);
            var room = Math.Max(0, limit - ledger.Values.Sum());
            admitted = fresh.Take(room).ToList();
            if (admitted.Count == 0 && moved.Count == 0) break;
            foreach (var phone in moved)
                if (ledger.TryGetValue(countedIn[phone]!.Value, out var n)) ledger[countedIn[phone]!.Value] = Math.Max(0, n - 1);
            ledger[current] = ledger.GetValueOrDefault(current) + admitted.Count + moved.Count;
            var updated = new TableRow(channel, LedgerRow, row?.ETag) { ["Slices"] = Format(ledger) };
            try
            {
                if (row is null) await tables.InsertAsync(names.ChannelLeasesTable, updated, ct);
                else await tables.ReplaceAsync(names.ChannelLeasesTable, updated, ct);
                break;
            }
            catch (Exception e) when (e is StorageConflictException or StoragePreconditionFailedException)
            {
                // Another batch took room first: read again.
            }
        }

        // 3. Each counted recipient's row says where it is counted now.
        var rows = admitted.Concat(moved).Select(phone => new TableRow(PacingKeys.RecipientPartition(channel, phone), PacingKeys.RecipientRow(RowPrefix, phone))
        {
            ["Slice"] = current,
            ["CountedAt"] = now,
        });
        foreach (var group in rows.GroupBy(r => r.PartitionKey))
            foreach (var chunk in group.Chunk(100))
                await tables.UpsertBatchAsync(names.RecipientPacingTable, chunk, ct);

        var admittedSet = admitted.ToHashSet(StringComparer.Ordinal);
        var heldPhones = fresh.Where(p => !admittedSet.Contains(p)).ToList();
        if (heldPhones.Count == 0) return Admission.Everyone;
        var held = pending.Where(p => !admittedSet.Contains(p.Phone) && countedIn[p.Phone] is null).Select(p => p.Index).ToHashSet();
        return new Admission(held, ResumesAt(ledger, Math.Min(heldPhones.Count, limit), limit, slice, window));
    }

    /// <summary>When the oldest slices leave the window and free room for <paramref name="needed"/> recipients.</summary>
    private static DateTimeOffset ResumesAt(SortedDictionary<long, int> ledger, int needed, int limit, long slice, TimeSpan window)
    {
        var free = Math.Max(0, limit - ledger.Values.Sum());
        foreach (var (s, n) in ledger)
        {
            free += n;
            if (free >= needed) return Expiry(s, slice, window);
        }
        return Expiry(ledger.Keys.LastOrDefault(), slice, window);
    }

    public static long SliceTicks(TimeSpan window) => Math.Max(TimeSpan.TicksPerMillisecond, window.Ticks / Slices);

    /// <summary>A slice counts until its last instant is a full window old.</summary>
    private static DateTimeOffset Expiry(long s, long slice, TimeSpan window) =>
        new DateTimeOffset((s + 1) * slice, TimeSpan.Zero) + window;

    private static SortedDictionary<long, int> Parse(byte[]? bytes)
    {
        var ledger = new SortedDictionary<long, int>();
        for (var i = 0; bytes is not null && i + 12 <= bytes.Length; i += 12)
            ledger[BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i))] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i + 8));
        return ledger;
    }

    private static byte[] Format(SortedDictionary<long, int> ledger)
    {
        var kept = ledger.Where(e => e.Value > 0).ToList();
        var bytes = new byte[kept.Count * 12];
        for (var i = 0; i < kept.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 12), kept[i].Key);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 12 + 8), kept[i].Value);
        }
        return bytes;
    }
}
