using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Hosting;

/// <summary>A work item as the Functions host lends it: its dequeue count from the trigger metadata. Renewing is the
/// host's job (it keeps the message invisible while the function runs), so <see cref="RenewAsync"/> does nothing.</summary>
internal sealed class HostLease(int dequeueCount) : IWorkItemLease
{
    public int DequeueCount { get; } = Math.Max(1, dequeueCount);

    public Task RenewAsync(CancellationToken ct) => Task.CompletedTask;
}
