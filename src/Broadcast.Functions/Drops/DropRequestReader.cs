using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Functions.Apis;

namespace Broadcast.Functions.Drops;

/// <summary>Finds the broadcast request of a dropped CSV: its <c>name.json</c> sidecar (preferred), else the CSV's own
/// metadata. Either is read as the body of <c>POST /api/broadcasts</c> without <c>upload_id</c>.</summary>
internal sealed class DropRequestReader(IBlobStore blobs, string container)
{
    public const int MaxSidecarBytes = 64 * 1024;

    /// <summary>The request, or null while there is none (no sidecar yet and no request in the metadata).</summary>
    public async Task<DropRequest?> ReadAsync(BlobInfo csv, CancellationToken ct)
    {
        foreach (var sidecar in DropNames.SidecarsOf(csv.Name))
        {
            var bytes = await ReadSidecarAsync(sidecar, ct);
            if (bytes is not null) return Parse(bytes, sidecar);
        }
        if (!DropMetadata.HasRequest(csv.Metadata)) return null;
        var (json, problem) = DropMetadata.ToJson(csv.Metadata);
        return problem is not null ? new DropRequest(null, problem) : Parse(json!, "the CSV's metadata");
    }

    /// <summary>Null when there is no such blob; a sidecar beyond the limit is read only that far (and then refused).</summary>
    private async Task<byte[]?> ReadSidecarAsync(string name, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(container, name, ct);
        if (stream is null) return null;
        var buffer = new byte[MaxSidecarBytes + 1];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += n;
        return buffer[..length];
    }

    private static DropRequest Parse(byte[] json, string source)
    {
        if (json.Length > MaxSidecarBytes)
            return Refused(DropProblem.BadField(null, "Malformed request", $"{source} is larger than {MaxSidecarBytes / 1024} KB."));
        var span = json.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        CreateBroadcastRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<CreateBroadcastRequest>(span, Extensions.Json);
        }
        catch (JsonException e)
        {
            var field = ProblemExceptionHandler.JsonField(e.Path);
            return Refused(DropProblem.BadField(field, "Malformed request",
                field is null ? $"{source} is not valid JSON." : $"Field '{field}' has a value of the wrong form."));
        }
        if (request is null)
            return Refused(DropProblem.BadField(null, "Malformed request", $"{source} holds no request object."));
        if (request.UploadId is not null)
            return Refused(DropProblem.BadField("upload_id", "Invalid request", "A drop's recipients are its CSV: leave 'upload_id' out."));
        if (request.Recipients is not null)
            return Refused(DropProblem.BadField("recipients", "Invalid request", "A drop's recipients are its CSV: leave 'recipients' out."));
        return new DropRequest(request, null);
    }

    private static DropRequest Refused(DropProblem problem) => new(null, problem);
}
