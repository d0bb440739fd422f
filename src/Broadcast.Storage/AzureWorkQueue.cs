using Broadcast.Core.Storage;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Queue;

namespace Broadcast.Storage;

internal sealed class AzureWorkQueue(CloudQueue queue) : IWorkQueue
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromDays(7);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public string Name => queue.Name;

    public async Task EnqueueAsync(string content, TimeSpan delay, CancellationToken ct)
    {
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        if (delay > MaxDelay) throw new ArgumentOutOfRangeException(nameof(delay), "A queue message can be delayed at most 7 days; re-arm longer timers.");
        // A message must outlive its delay, or it expires the moment it would become visible.
        var ttl = delay + TimeToLive;
        try
        {
            await queue.AddMessageAsync(new CloudQueueMessage(content), ttl, delay == TimeSpan.Zero ? null : delay, null, null, ct);
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"enqueueing to {queue.Name}");
        }
    }

    public async Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int max, TimeSpan visibilityTimeout, CancellationToken ct)
    {
        try
        {
            var messages = await queue.GetMessagesAsync(Math.Clamp(max, 1, 32), visibilityTimeout, null, null, ct);
            return messages.Select(m => new QueuedMessage(m.Id, m.PopReceipt, m.AsString, m.DequeueCount)).ToList();
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"receiving from {queue.Name}");
        }
    }

    public async Task DeleteAsync(QueuedMessage message, CancellationToken ct)
    {
        try
        {
            await queue.DeleteMessageAsync(message.Id, message.PopReceipt, null, null, ct);
        }
        catch (StorageException e) when (e.RequestInformation?.HttpStatusCode == 404)
        {
            // Already deleted, or our lease ran out and another worker owns it now.
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"deleting from {queue.Name}");
        }
    }

    public async Task<QueuedMessage> ExtendAsync(QueuedMessage message, TimeSpan visibilityTimeout, CancellationToken ct)
    {
        var m = new CloudQueueMessage(message.Id, message.PopReceipt);
        try
        {
            await queue.UpdateMessageAsync(m, visibilityTimeout, MessageUpdateFields.Visibility, null, null, ct);
            return message with { PopReceipt = m.PopReceipt };
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"extending a message of {queue.Name}");
        }
    }

    public async Task<int> ApproximateCountAsync(CancellationToken ct)
    {
        await queue.FetchAttributesAsync(null, null, ct);
        return queue.ApproximateMessageCount ?? 0;
    }
}
