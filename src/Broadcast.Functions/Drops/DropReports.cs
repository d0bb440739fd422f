using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;

namespace Broadcast.Functions.Drops;

/// <summary>Writes what became of a drop next to it, the results rather than the CSV's metadata: changing the CSV
/// would change its ETag and make it look like a new drop. Each report replaces the other kind, so the files beside a
/// CSV always describe its latest version.</summary>
internal sealed class DropReports(IBlobStore blobs, string container)
{
    public async Task WriteResultAsync(string csv, UploadSummary upload, string broadcastId, string csvEtag, DateTimeOffset at, CancellationToken ct)
    {
        var file = new DropResultFile(upload.UploadId, broadcastId, $"/api/broadcasts/{broadcastId}", upload.ValidRecipients,
            upload.InvalidRows, upload.DuplicatesRemoved, csvEtag, at);
        await WriteAsync(DropNames.ResultOf(csv), file, ct);
        await blobs.DeleteAsync(container, DropNames.ErrorOf(csv), ct);
    }

    public async Task WriteErrorAsync(string csv, DropProblem problem, string csvEtag, DateTimeOffset at, CancellationToken ct)
    {
        var file = new DropErrorFile(problem.Errors, problem.Status, problem.Title, problem.Detail, problem.Field, problem.UploadId, csvEtag, at);
        await WriteAsync(DropNames.ErrorOf(csv), file, ct);
        await blobs.DeleteAsync(container, DropNames.ResultOf(csv), ct);
    }

    private Task WriteAsync<T>(string name, T file, CancellationToken ct) =>
        blobs.UploadAsync(container, name, JsonSerializer.SerializeToUtf8Bytes(file, Extensions.Json), "application/json", ct);
}
