namespace Broadcast.Functions.Drops;

/// <summary><c>name.result.json</c>: the broadcast a drop started.</summary>
public sealed record DropResultFile(
    string UploadId,
    string BroadcastId,
    string StatusUri,
    long ValidRecipients,
    long InvalidRows,
    long DuplicatesRemoved,
    string CsvEtag,
    DateTimeOffset ProcessedAt);
