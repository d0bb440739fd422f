using Microsoft.DurableTask.Client;

namespace Broadcast.Core.Workflow;

/// <summary>The Durable Task client the product schedules and signals broadcasts with. Standalone it is the engine's
/// own, known from the start. Under the Functions host only a function can get one (the Durable extension binds it
/// to a <c>[DurableClient]</c> parameter), so every function hands its client over and the first one is used.</summary>
public sealed class DurableClientSource
{
    private readonly TaskCompletionSource<DurableTaskClient> _client = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Filled by the first function invocation (<see cref="Offer"/>).</summary>
    public DurableClientSource() { }

    public DurableClientSource(DurableTaskClient client) => _client.SetResult(client);

    public void Offer(DurableTaskClient client) => _client.TrySetResult(client);

    /// <summary>The client; under the host, waits for the first invocation (work only starts from one).</summary>
    public Task<DurableTaskClient> GetAsync(CancellationToken ct) => _client.Task.IsCompletedSuccessfully ? _client.Task : _client.Task.WaitAsync(ct);
}
