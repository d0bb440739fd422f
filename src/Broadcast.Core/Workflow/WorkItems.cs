using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broadcast.Core.Workflow;

/// <summary>The start of a broadcast: its timer (the message's visibility delay) and then its fan-out.</summary>
public sealed record StartWorkItem([property: JsonPropertyName("broadcast_id")] string BroadcastId)
{
    public string ToJson() => JsonSerializer.Serialize(this);
    public static StartWorkItem Parse(string json) => JsonSerializer.Deserialize<StartWorkItem>(json) ?? throw new JsonException("empty work item");
}

/// <summary>One batch of a broadcast's recipients: the unit of fan-out, lease and group commit.</summary>
public sealed record BatchWorkItem(
    [property: JsonPropertyName("broadcast_id")] string BroadcastId,
    [property: JsonPropertyName("batch")] int Batch)
{
    public string ToJson() => JsonSerializer.Serialize(this);
    public static BatchWorkItem Parse(string json) => JsonSerializer.Deserialize<BatchWorkItem>(json) ?? throw new JsonException("empty work item");
}

/// <summary>What a queue listener lends a step: renewing its hold on the message while it works.</summary>
public interface IWorkItemLease
{
    int DequeueCount { get; }
    Task RenewAsync(CancellationToken ct);
}

/// <summary>Thrown when another live worker holds the batch; the listener retries the item when that lease ends.</summary>
public sealed class WorkItemBusyException(DateTimeOffset retryAt) : Exception("another worker holds this batch")
{
    public DateTimeOffset RetryAt { get; } = retryAt;
}
