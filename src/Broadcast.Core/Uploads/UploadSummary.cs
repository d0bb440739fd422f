using Broadcast.Core.Recipients;

namespace Broadcast.Core.Uploads;

/// <summary>What an upload found: the layout, the counts, the first errors, where its valid recipients are, and how
/// many of them are landlines (kept: a landline can be registered for WhatsApp; the rows say which to check).</summary>
public sealed record UploadSummary(
    string UploadId,
    string Layout,
    string Separator,
    IReadOnlyList<string> Columns,
    long TotalRows,
    long ValidRecipients,
    long InvalidRows,
    long DuplicatesRemoved,
    IReadOnlyList<UploadError> Errors,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> VariableNames,
    RecipientSetLocation Recipients,
    long Landlines = 0,
    IReadOnlyList<long>? LandlineRows = null)
{
    /// <summary>As many landline rows as errors: the first 100.</summary>
    public const int MaxLandlineRows = 100;

    /// <summary>An upload with no valid recipient cannot be used by a broadcast.</summary>
    public bool Usable => ValidRecipients > 0;
}

public sealed record UploadError(long Row, string? Column, string Error);

public static class UploadLayouts
{
    public const string QiscusTemplate = "qiscus_template";
    public const string NamedVariables = "named_variables";
    public const string Simple = "simple";
}

/// <summary>Finds stored uploads; the broadcast workflow reads their recipients through <see cref="RecipientSetReader"/>.</summary>
public interface IUploadCatalog
{
    Task<UploadSummary?> GetAsync(string uploadId, CancellationToken ct);
}
