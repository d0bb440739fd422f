using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Telemetry;

namespace Broadcast.Core.Workflow;

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
