using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Infrastructure;

/// <summary>How many work items wait on a queue, read from the account itself (the product never needs to ask).</summary>
public static class QueueCounts
{
    public static async Task<int> ApproximateCountAsync(this IServiceProvider app, string queue)
    {
        var properties = await app.GetRequiredService<QueueServiceClient>().GetQueueClient(queue).GetPropertiesAsync();
        return properties.Value.ApproximateMessagesCount;
    }
}
