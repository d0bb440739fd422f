using Broadcast.Core.Storage;
using Broadcast.Functions.Drops;

namespace Broadcast.Tests.Hosting;

/// <summary>Stands in for the drop processor, whose implementation is built separately: records each blob it is
/// handed, reading it from storage by name the way the real one streams it, and answers a chosen outcome.</summary>
internal sealed class RecordingDropProcessor(IStorage storage, string container, string outcome) : IDropProcessor
{
    public List<(string Name, string Content)> Processed { get; } = [];

    public async Task<DropResult> ProcessAsync(string blobName, CancellationToken ct)
    {
        await using var blob = await storage.Blobs.OpenReadAsync(container, blobName, ct)
            ?? throw new FileNotFoundException($"no blob '{blobName}' in {container}");
        using var reader = new StreamReader(blob);
        var content = await reader.ReadToEndAsync(ct);
        lock (Processed) Processed.Add((blobName, content));
        return new DropResult(outcome, Detail: outcome == "waiting" ? "its sidecar has not arrived" : null);
    }
}
