using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Telemetry;

namespace Broadcast.Core.Workflow;

/// <summary>The start of a broadcast: its timer (the message's visibility delay) and then its fan-out.</summary>
/// <remarks>Both work items carry the W3C trace context of the span that enqueued them (optional: items written
/// before it existed still parse), so that the step that runs them, on any instance and on any retry, joins the
/// broadcast's trace. <c>ToJson</c> stamps the current span's context unless the item already carries one.</remarks>
public sealed record StartWorkItem([property: JsonPropertyName("broadcast_id")] string BroadcastId)
{
    [JsonPropertyName("traceparent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    public string ToJson() => JsonSerializer.Serialize(TraceParent is null ? this with { TraceParent = BroadcastTelemetry.CurrentTraceParent() } : this);
    public static StartWorkItem Parse(string json) => JsonSerializer.Deserialize<StartWorkItem>(json) ?? throw new JsonException("empty work item");
}

/// <summary>One batch of a broadcast's recipients: the unit of fan-out, lease and group commit.</summary>
public sealed record BatchWorkItem(
    [property: JsonPropertyName("broadcast_id")] string BroadcastId,
    [property: JsonPropertyName("batch")] int Batch)
{
    [JsonPropertyName("traceparent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    public string ToJson() => JsonSerializer.Serialize(TraceParent is null ? this with { TraceParent = BroadcastTelemetry.CurrentTraceParent() } : this);
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
