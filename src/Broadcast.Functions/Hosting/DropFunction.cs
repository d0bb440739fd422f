using Broadcast.Core.Workflow;
using Broadcast.Functions.Drops;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Broadcast.Functions.Hosting;

/// <summary>Under the Functions host, a CSV dropped into the drops container: the blob trigger hands the blob, by
/// name (its content is never bound: the processor streams it), to the <see cref="IDropProcessor"/> the standalone
/// watcher uses. The trigger fires once per blob, so while the processor says "later" (the CSV waits for its request,
/// or another claim holds it) this asks again every <c>Drops__PollInterval</c> for as long as that can legitimately
/// last; still waiting after that, the invocation fails and the host's blob retries take over.</summary>
public sealed class DropFunction(IDropProcessor processor, DurableClientSource clients, IOptions<DropOptions> options, TimeProvider time,
    ILogger<DropFunction> log)
{
    [Function(FunctionsHost.DropFunction)]
    public async Task RunAsync(
        [BlobTrigger(FunctionsHost.DropPath, Connection = FunctionsHost.StorageConnection)] Azure.Storage.Blobs.BlobClient drop,
        string name, [DurableClient] DurableTaskClient client, CancellationToken ct)
    {
        clients.Offer(client);
        var askUntil = time.GetUtcNow() + options.Value.SidecarGrace + options.Value.ClaimLease;
        var result = await processor.ProcessAsync(name, ct);
        while (ComesBackLater(result) && time.GetUtcNow() < askUntil)
        {
            await Task.Delay(options.Value.PollInterval, time, ct);
            result = await processor.ProcessAsync(name, ct);
        }
        log.LogInformation("Drop {Blob}: {Outcome} {BroadcastId} {Detail}", name, result.Outcome, result.BroadcastId, result.Detail);
        if (ComesBackLater(result)) throw new DropNotSettledException($"Drop {name} is still {result.Outcome}; the host retries it.");
    }

    /// <summary>Waiting for its request, or claimed by another worker (or held back for a retry) and not settled.</summary>
    internal static bool ComesBackLater(DropResult result) =>
        result.Outcome == "waiting" || result is { Outcome: "already_started", BroadcastId: null };
}

public sealed class DropNotSettledException(string message) : Exception(message);
