using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Hosting;

/// <summary>Every <see cref="StartMarkers.SweepEvery"/>, enqueues the starts of accepted broadcasts whose accepting
/// instance stopped before it could (<see cref="StartMarkers"/>). Runs standalone and under the Functions host alike:
/// the custom handler lives as long as the host does, and a host that scaled to zero sweeps when it wakes.</summary>
internal sealed class StartSweep(StartMarkers markers, TimeProvider time, ILogger<StartSweep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(StartMarkers.SweepEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await markers.SweepAsync(stop);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    log.LogWarning("The start sweep failed ({Error}); it tries again in {Seconds} s", e.Message, StartMarkers.SweepEvery.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
