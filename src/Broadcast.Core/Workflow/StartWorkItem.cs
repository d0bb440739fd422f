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

    /// <summary>The other broadcasts accepted in the same group commit (<see cref="AcceptCommits"/>), each with its
    /// own trace context; absent for a broadcast started alone.</summary>
    [JsonPropertyName("more"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StartWorkItem>? More { get; init; }

    public string ToJson() => JsonSerializer.Serialize(TraceParent is null ? this with { TraceParent = BroadcastTelemetry.CurrentTraceParent() } : this);
    public static StartWorkItem Parse(string json) => JsonSerializer.Deserialize<StartWorkItem>(json) ?? throw new JsonException("empty work item");

    /// <summary>One start item for broadcasts accepted together, each joining the trace it was accepted in.</summary>
    public static StartWorkItem Group(IEnumerable<BroadcastDefinition> definitions)
    {
        var items = definitions.Select(d => new StartWorkItem(d.Id) { TraceParent = d.TraceParent }).ToList();
        return items.Count == 1 ? items[0] : items[0] with { More = items.Skip(1).ToList() };
    }

    /// <summary>Each broadcast this item starts.</summary>
    public IReadOnlyList<StartWorkItem> Each() => More is null ? [this] : [this with { More = null }, .. More];
}
