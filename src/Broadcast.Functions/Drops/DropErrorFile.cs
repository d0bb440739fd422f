using System.Text.Json.Serialization;

namespace Broadcast.Functions.Drops;

/// <summary><c>name.error.json</c>: why a drop started nothing, as the API would have answered.</summary>
public sealed record DropErrorFile(
    IReadOnlyList<DropError> Errors,
    int Status,
    string Title,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UploadId,
    string CsvEtag,
    DateTimeOffset ProcessedAt);
