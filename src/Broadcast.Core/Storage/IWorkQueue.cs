namespace Broadcast.Core.Storage;

/// <summary>An Azure Storage queue: at-least-once work items with visibility delays and leases.</summary>
public interface IWorkQueue
{
    string Name { get; }

    /// <summary>Adds a message that becomes visible after <paramref name="delay"/> (at most 7 days).</summary>
    Task EnqueueAsync(string content, TimeSpan delay, CancellationToken ct);

    Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int max, TimeSpan visibilityTimeout, CancellationToken ct);

    Task DeleteAsync(QueuedMessage message, CancellationToken ct);

    /// <summary>Keeps the message invisible for <paramref name="visibilityTimeout"/> more; returns it with its new pop receipt.</summary>
    Task<QueuedMessage> ExtendAsync(QueuedMessage message, TimeSpan visibilityTimeout, CancellationToken ct);
}
