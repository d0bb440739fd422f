using Broadcast.Functions.Hosting;
using Broadcast.Core.Storage;

namespace Broadcast.Functions.Drops;

/// <summary>The standalone host's blob trigger: lists the drops container every <c>Drops__PollInterval</c> and hands
/// each CSV not yet settled to the processor, a few at a time. Settled drops (name and ETag) are remembered so that a
/// poll costs one listing, not one receipt read per file. Under the Functions host the blob trigger calls the
/// processor instead (<see cref="Hosting.DropFunction"/>).</summary>
internal sealed class DropWatcher(
    DropProcessor processor, IStorage storage, IOptions<DropOptions> options, IConfiguration config, ILogger<DropWatcher> log) : BackgroundService
{
    private const int MaxConcurrentDrops = 4;
    private const int MaxRemembered = 100_000;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!FunctionsHost.RunsOwnListeners(config)) return;
        var container = processor.Container;
        var settled = new HashSet<(string Name, string ETag)>();
        var containerReady = false;
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try
            {
                if (!containerReady)
                {
                    await storage.Blobs.EnsureContainerAsync(container, stop);
                    containerReady = true;
                }
                settled = await PollAsync(container, settled, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("Drops container {Container} not reachable: {Error}", container, e.GetType().Name);
            }
        } while (await NextTickAsync(timer, stop));
    }

    /// <summary>Processes what is new; answers the settled drops still in the container (so deleted ones are forgotten).</summary>
    private async Task<HashSet<(string, string)>> PollAsync(string container, HashSet<(string, string)> settledBefore, CancellationToken stop)
    {
        var settled = new HashSet<(string, string)>();
        var pending = new List<BlobInfo>();
        await foreach (var blob in storage.Blobs.ListAsync(container, null, stop))
        {
            if (!DropNames.IsCsv(blob.Name)) continue;
            if (settledBefore.Contains((blob.Name, blob.ETag))) settled.Add((blob.Name, blob.ETag));
            else pending.Add(blob);
        }
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentDrops, CancellationToken = stop },
            async (blob, ct) =>
            {
                DropResult result;
                try
                {
                    result = await processor.ProcessAsync(blob.Name, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    log.LogWarning("Drop {Blob} failed and will be retried: {Error}", blob.Name, e.GetType().Name);
                    return;
                }
                if (IsSettled(result))
                    lock (settled)
                        if (settled.Count < MaxRemembered) settled.Add((blob.Name, blob.ETag));
            });
        return settled;
    }

    private static bool IsSettled(DropResult result) =>
        result.Outcome == "invalid" || result.Outcome is "started" or "already_started" && result.BroadcastId is not null;

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
