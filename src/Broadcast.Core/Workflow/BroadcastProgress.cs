using System.Globalization;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>A running broadcast's live counters: what each batch has committed so far, one property per batch in a
/// row per <see cref="BatchesPerRow"/> batches, in the broadcast's own partition. A batch writes only its own
/// property, with an absolute tally (a merge: no ETag, no race with other batches, and a repeated or late report
/// changes nothing), so no hot row and no counting bitmap: the counters are the sum of the rows.</summary>
public static class BroadcastProgress
{
    /// <summary>An entity holds at most 252 properties: 100 batches leave room and keep the rows few (a million
    /// recipients in batches of 500: 20 rows, read with the broadcast's row in one query).</summary>
    public const int BatchesPerRow = 100;

    public const string RowKeyPrefix = "progress-";

    public static string RowKey(int batch) => RowKeyPrefix + (batch / BatchesPerRow).ToString("D5", CultureInfo.InvariantCulture);

    public static bool IsProgressRow(string rowKey) => rowKey.StartsWith(RowKeyPrefix, StringComparison.Ordinal);

    private static string Property(int batch) => "b" + batch.ToString(CultureInfo.InvariantCulture);

    /// <summary>The rows to merge for these batches' tallies, one per <see cref="BatchesPerRow"/>.</summary>
    public static IEnumerable<TableRow> Rows(string broadcastId, IEnumerable<KeyValuePair<int, Tally>> tallies) =>
        tallies.GroupBy(t => RowKey(t.Key)).Select(group =>
        {
            var row = new TableRow(broadcastId, group.Key);
            foreach (var (batch, tally) in group) row[Property(batch)] = Encode(tally);
            return row;
        });

    /// <summary>The sum of what a progress row holds.</summary>
    public static Tally Sum(TableRow row)
    {
        var sum = Tally.None;
        foreach (var (name, value) in row.Properties)
            if (name.StartsWith('b') && value is string encoded) sum += Decode(encoded);
        return sum;
    }

    private static string Encode(Tally t) => string.Join(',', t.Sent, t.Failed, t.Canceled, t.Unknown, t.Suppressed, t.Failover, t.Expired);

    private static Tally Decode(string encoded)
    {
        var parts = encoded.Split(',');
        long At(int i) => i < parts.Length && long.TryParse(parts[i], CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new Tally(At(0), At(1), At(2), At(3), At(4), At(5), At(6));
    }
}
