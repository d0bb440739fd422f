namespace Broadcast.Core.Workflow;

/// <summary>What a queue listener lends a step: renewing its hold on the message while it works.</summary>
public interface IWorkItemLease
{
    int DequeueCount { get; }
    Task RenewAsync(CancellationToken ct);
}
