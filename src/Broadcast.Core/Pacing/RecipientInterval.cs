using Broadcast.Core.Storage;

namespace Broadcast.Core.Pacing;

/// <summary>
/// WhatsApp's pair rate, for every instance: two sends to one number on a channel at least
/// <c>MinIntervalPerRecipient</c> apart. Each number has a row holding when it was last sent to. A send takes its
/// turn with one read and one ETag-conditional write, or learns how long to wait; once the vendor has answered, a
/// second write moves the time to the answer (the vendor had the message by then), so that the next send's
/// interval counts from when the vendor could have received this one. Three entity operations per send, only
/// when the setting is on.
/// </summary>
public sealed class RecipientInterval(ITableStore tables, StorageNames names, TimeProvider time)
{
    private const string RowPrefix = "p:";

    public async Task<RecipientTurn> TakeTurnAsync(string channelKey, string phone, TimeSpan interval, CancellationToken ct)
    {
        var partition = PacingKeys.RecipientPartition(PacingKeys.Channel(channelKey), phone);
        var rowKey = PacingKeys.RecipientRow(RowPrefix, phone);
        while (true)
        {
            var row = await tables.GetAsync(names.RecipientPacingTable, partition, rowKey, ct);
            var now = time.GetUtcNow();
            if (row?.GetDate("LastSentAt") is { } last && last + interval > now) return new RecipientTurn(last + interval - now);
            var turn = new TableRow(partition, rowKey, row?.ETag) { ["LastSentAt"] = now };
            try
            {
                var etag = row is null
                    ? await tables.InsertAsync(names.RecipientPacingTable, turn, ct)
                    : await tables.ReplaceAsync(names.RecipientPacingTable, turn, ct);
                return new RecipientTurn(TimeSpan.Zero, partition, rowKey, etag);
            }
            catch (Exception e) when (e is StorageConflictException or StoragePreconditionFailedException)
            {
                // Another send to this number took the turn first: read again.
            }
        }
    }

    /// <summary>The vendor answered (or the call ended without an answer): the interval counts from now.</summary>
    public async Task AnsweredAsync(RecipientTurn turn)
    {
        try
        {
            var row = new TableRow(turn.Partition, turn.Row, turn.ETag) { ["LastSentAt"] = time.GetUtcNow() };
            await tables.ReplaceAsync(names.RecipientPacingTable, row, CancellationToken.None);
        }
        catch (Exception)
        {
            // Another send has taken its turn since (the call outlasted the interval), or storage failed: the turn
            // taken before the call still stands.
        }
    }
}
