using System.Text.Json.Serialization;

namespace Broadcast.Functions.Drops;

/// <summary>One thing wrong with a drop: a request field, or a row and column of the CSV.</summary>
public sealed record DropError(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Row,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Column,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field,
    string Error);
