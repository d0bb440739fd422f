using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Broadcast.Core.Workflow;

/// <summary>The broadcasts' orchestration instances (instance id = broadcast id), through the Durable Task client of
/// whichever engine runs them: the standalone one, or the Functions host's Durable extension.</summary>
public sealed class BroadcastInstances(DurableTaskClient client)
{
    public DurableTaskClient Client => client;

    /// <summary>Schedules the broadcast's orchestration. One already scheduled under this id (a create repeated with
    /// its Idempotency-Key after an answer that was lost) is the same broadcast's: that is success, not a second one.</summary>
    public async Task ScheduleAsync(BroadcastRun run, CancellationToken ct)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(BroadcastOrchestration), run,
                new StartOrchestrationOptions { InstanceId = run.BroadcastId }, ct);
        }
        catch (InvalidOperationException)
        {
            if (!await IsPendingAsync(run.BroadcastId, ct)) throw;
        }
    }

    /// <summary>Best effort: the orchestrations of this broadcast see the cancel at once rather than at their next look.</summary>
    public Task RaiseCancelAsync(string broadcastId, CancellationToken ct) =>
        client.RaiseEventAsync(broadcastId, BroadcastEvents.Cancel, true, ct);

    public Task RaiseSentHereAsync(string broadcastId, Tally tally, CancellationToken ct) =>
        client.RaiseEventAsync(broadcastId, BroadcastEvents.SentHere, tally, ct);

    public Task RaiseHandedOverAsync(string broadcastId, CancellationToken ct) =>
        client.RaiseEventAsync(broadcastId, BroadcastEvents.HandedOver, true, ct);

    /// <summary>Whether the broadcast's orchestration exists and has not ended.</summary>
    public async Task<bool> IsPendingAsync(string broadcastId, CancellationToken ct)
    {
        var instance = await client.GetInstanceAsync(broadcastId, getInputsAndOutputs: false, ct);
        return instance is not null && !instance.IsCompleted;
    }
}
