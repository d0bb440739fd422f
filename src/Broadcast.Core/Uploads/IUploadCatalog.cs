using Broadcast.Core.Recipients;

namespace Broadcast.Core.Uploads;

/// <summary>Finds stored uploads; the broadcast workflow reads their recipients through <see cref="RecipientSetReader"/>.</summary>
public interface IUploadCatalog
{
    Task<UploadSummary?> GetAsync(string uploadId, CancellationToken ct);
}
