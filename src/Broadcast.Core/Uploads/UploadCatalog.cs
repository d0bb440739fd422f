using System.Security.Cryptography;
using System.Text.Json;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Uploads;

/// <summary>Where uploads are kept: blobs <c>{id}/original.csv</c>, <c>{id}/errors.ndjson</c> and the recipient set
/// in the uploads container, and one summary row per upload in the uploads table.</summary>
public sealed class UploadCatalog(IStorage storage, StorageNames names) : IUploadCatalog
{
    private const string Partition = "upload";
    private const int IdLength = 24;
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int MaxErrorsJson = 30_000; // a table string holds 32K chars

    public string Container => names.UploadsContainer;

    /// <summary>24 random lowercase letters and digits (about 124 bits): URL-safe and unguessable.</summary>
    public static string NewId() => RandomNumberGenerator.GetString(IdAlphabet, IdLength);

    public static bool IsId(string? id) => id is { Length: IdLength } && id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9');

    public static string OriginalBlob(string id) => $"{id}/original.csv";

    public static string ErrorsBlob(string id) => $"{id}/errors.ndjson";

    public RecipientSetLocation RecipientsOf(string id) => new(names.UploadsContainer, id);

    public async Task<UploadSummary?> GetAsync(string uploadId, CancellationToken ct)
    {
        if (!IsId(uploadId)) return null;
        var row = await storage.Tables.GetAsync(names.UploadsTable, Partition, uploadId, ct);
        if (row is null) return null;
        return new UploadSummary(
            uploadId,
            row.GetString("Layout") ?? "",
            row.GetString("Separator") ?? ",",
            FromJson<List<string>>(row, "Columns"),
            row.GetLong("TotalRows"),
            row.GetLong("ValidRecipients"),
            row.GetLong("InvalidRows"),
            row.GetLong("DuplicatesRemoved"),
            FromJson<List<UploadError>>(row, "Errors"),
            row.GetDate("CreatedAt") ?? DateTimeOffset.MinValue,
            FromJson<List<string>>(row, "VariableNames"),
            RecipientsOf(uploadId),
            row.GetLong("Landlines"),
            FromJson<List<long>>(row, "LandlineRows"));
    }

    public async Task SaveAsync(UploadSummary summary, CancellationToken ct)
    {
        var row = new TableRow(Partition, summary.UploadId)
        {
            ["Layout"] = summary.Layout,
            ["Separator"] = summary.Separator,
            ["Columns"] = JsonSerializer.Serialize(summary.Columns, UploadJson.Options),
            ["VariableNames"] = JsonSerializer.Serialize(summary.VariableNames, UploadJson.Options),
            ["TotalRows"] = summary.TotalRows,
            ["ValidRecipients"] = summary.ValidRecipients,
            ["InvalidRows"] = summary.InvalidRows,
            ["DuplicatesRemoved"] = summary.DuplicatesRemoved,
            ["Landlines"] = summary.Landlines,
            ["LandlineRows"] = JsonSerializer.Serialize(summary.LandlineRows ?? [], UploadJson.Options),
            ["Errors"] = ErrorsJson(summary.Errors),
            ["CreatedAt"] = summary.CreatedAt,
        };
        await storage.Tables.InsertAsync(names.UploadsTable, row, ct);
    }

    /// <summary>The first errors as JSON, as many as fit in a table property (all 100 unless messages are unusually long).</summary>
    private static string ErrorsJson(IReadOnlyList<UploadError> errors)
    {
        for (var count = errors.Count; ; count = count * 3 / 4)
        {
            var json = JsonSerializer.Serialize(errors.Take(count), UploadJson.Options);
            if (json.Length <= MaxErrorsJson || count == 0) return json;
        }
    }

    private static T FromJson<T>(TableRow row, string property) where T : new() =>
        row.GetString(property) is { } json ? JsonSerializer.Deserialize<T>(json, UploadJson.Options) ?? new T() : new T();

    public Task<UploadErrorPage> ReadErrorsAsync(string uploadId, long offset, int limit, CancellationToken ct) =>
        UploadErrorLog.ReadPageAsync(storage.Blobs, Container, ErrorsBlob(uploadId), offset, limit, ct);

    /// <summary>Removes every blob of the upload and its summary row ("nothing kept").</summary>
    public async Task DeleteAsync(string uploadId, CancellationToken ct)
    {
        var blobs = new List<string>();
        await foreach (var blob in storage.Blobs.ListAsync(Container, uploadId + "/", ct)) blobs.Add(blob.Name);
        await Task.WhenAll(blobs.Select(b => storage.Blobs.DeleteAsync(Container, b, ct)));
        await storage.Tables.DeleteAsync(names.UploadsTable, Partition, uploadId, ct);
    }
}
