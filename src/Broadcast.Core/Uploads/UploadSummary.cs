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
