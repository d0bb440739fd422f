using System.Text.Json.Serialization;

namespace Broadcast.Functions.Apis;

/// <summary>The Durable Functions-style answer to a start: where to watch, cancel and read the log.</summary>
public sealed record BroadcastAccepted(
    string Id,
    BroadcastStatusName Status,
    [property: JsonPropertyName("statusQueryGetUri")] string StatusQueryGetUri,
    [property: JsonPropertyName("cancelPostUri")] string CancelPostUri,
    [property: JsonPropertyName("recipientsGetUri")] string RecipientsGetUri);
