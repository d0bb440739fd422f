namespace Broadcast.Functions.Drops;

/// <summary>Turns a CSV dropped into the drops container (setting <c>Drops__Container</c>, default
/// <c>broadcast-drops</c>) into exactly one broadcast. Called by the standalone watcher and by the Functions host's
/// blob trigger alike, with the blob's name inside the container.</summary>
public interface IDropProcessor
{
    Task<DropResult> ProcessAsync(string blobName, CancellationToken ct);
}
