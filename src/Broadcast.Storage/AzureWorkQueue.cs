using Azure;
using Azure.Storage.Queues;
using Broadcast.Core.Storage;

namespace Broadcast.Storage;

internal sealed class AzureWorkQueue(QueueClient queue, StorageCallGates gates) : IWorkQueue
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromDays(7);
    // Azure caps a visibility delay at 7 days; a minute of margin keeps clock skew from hitting the cap.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);
    // The most messages one receive call may return (an Azure Storage limit).
    private const int MaxReceive = 32;

    public string Name => queue.Name;

    public Task EnqueueAsync(string content, TimeSpan delay, CancellationToken ct)
    {
        delay = WholeSeconds(delay);
        if (delay > MaxDelay) throw new ArgumentOutOfRangeException(nameof(delay), "A queue message can be delayed at most 7 days; re-arm longer timers.");
        // A message must outlive its delay, or it expires the moment it would become visible.
        var ttl = delay + TimeToLive;
        return gates.Guard(() => queue.SendMessageAsync(content, delay == TimeSpan.Zero ? null : delay, ttl, ct),
            $"enqueueing to {queue.Name}");
    }

    /// <summary>The service counts delays in whole seconds and drops the fraction: 0.9 s would be no delay at all.</summary>
    private static TimeSpan WholeSeconds(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));

    public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int max, TimeSpan visibilityTimeout, CancellationToken ct) =>
        gates.Guard<IReadOnlyList<QueuedMessage>>(async () =>
        {
            var messages = await queue.ReceiveMessagesAsync(Math.Clamp(max, 1, MaxReceive), visibilityTimeout, ct);
            return messages.Value.Select(m => new QueuedMessage(m.MessageId, m.PopReceipt, m.Body.ToString(), (int)m.DequeueCount, m.NextVisibleOn)).ToList();
        }, $"receiving from {queue.Name}");

    public async Task DeleteAsync(QueuedMessage message, CancellationToken ct)
    {
        try
        {
            await gates.Guard(() => queue.DeleteMessageAsync(message.Id, message.PopReceipt, ct), $"deleting from {queue.Name}");
        }
        catch (IOException e) when (e.InnerException is RequestFailedException { Status: 404 })
        {
            // Already deleted, or our lease ran out and another worker owns it now.
        }
    }

    public Task<QueuedMessage> ExtendAsync(QueuedMessage message, TimeSpan visibilityTimeout, CancellationToken ct) =>
        gates.Guard(async () =>
        {
            var receipt = await queue.UpdateMessageAsync(message.Id, message.PopReceipt, (BinaryData?)null, WholeSeconds(visibilityTimeout), ct);
            return message with { PopReceipt = receipt.Value.PopReceipt, VisibleAgainAt = receipt.Value.NextVisibleOn };
        }, $"extending a message of {queue.Name}");
}
