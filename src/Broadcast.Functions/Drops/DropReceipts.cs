using System.Security.Cryptography;
using System.Text;
using Broadcast.Core.Storage;

namespace Broadcast.Functions.Drops;

/// <summary>One row per drop (blob name and ETag) in the drop receipts table: whoever inserts it owns the drop.
/// <c>claimed</c> (owner, lease) ends <c>started</c> (upload and broadcast ids), <c>invalid</c> or <c>superseded</c>
/// (the CSV changed while it was read). A claim whose lease ran out may be taken over by an ETag-conditioned replace.</summary>
internal sealed class DropReceipts(ITableStore tables, string table, TimeProvider clock)
{
    public const string Claimed = "claimed";
    public const string Started = "started";
    public const string Invalid = "invalid";
    public const string Superseded = "superseded";

    public static string PartitionOf(string blobName) => Hash(blobName);

    public static string RowOf(string etag) => Hash(etag);

    public Task<TableRow?> GetAsync(string blobName, string etag, CancellationToken ct) =>
        tables.GetAsync(table, PartitionOf(blobName), RowOf(etag), ct);

    public bool IsLive(TableRow receipt) =>
        receipt.GetString("State") == Claimed && receipt.GetDate("LeaseUntil") > clock.GetUtcNow();

    /// <summary>The claim, or null with the receipt that someone else holds (or finished).</summary>
    public async Task<(DropClaim? Claim, TableRow? Other)> TryClaimAsync(string blobName, string etag, string owner, TimeSpan lease, CancellationToken ct)
    {
        var row = new TableRow(PartitionOf(blobName), RowOf(etag))
        {
            ["BlobName"] = blobName,
            ["CsvETag"] = etag,
            ["State"] = Claimed,
            ["Owner"] = owner,
            ["LeaseUntil"] = clock.GetUtcNow() + lease,
            ["Attempts"] = 1,
        };
        try
        {
            row.ETag = await tables.InsertAsync(table, row, ct);
            return (new DropClaim(tables, table, row, lease, clock), null);
        }
        catch (StorageConflictException)
        {
        }

        var existing = await tables.GetAsync(table, row.PartitionKey, row.RowKey, ct);
        if (existing is null || existing.GetString("State") != Claimed || IsLive(existing)) return (null, existing);
        // Its owner stopped (died, or released it after a failure): take it over.
        existing["Owner"] = owner;
        existing["LeaseUntil"] = clock.GetUtcNow() + lease;
        existing["Attempts"] = existing.GetInt("Attempts") + 1;
        try
        {
            existing.ETag = await tables.ReplaceAsync(table, existing, ct);
            return (new DropClaim(tables, table, existing, lease, clock), null);
        }
        catch (StoragePreconditionFailedException)
        {
            return (null, await tables.GetAsync(table, row.PartitionKey, row.RowKey, ct));
        }
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
