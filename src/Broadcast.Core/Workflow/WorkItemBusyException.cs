namespace Broadcast.Core.Workflow;

/// <summary>Thrown when another live worker holds the batch; the listener retries the item when that lease ends.</summary>
public sealed class WorkItemBusyException(DateTimeOffset retryAt) : Exception("another worker holds this batch")
{
    public DateTimeOffset RetryAt { get; } = retryAt;
}
