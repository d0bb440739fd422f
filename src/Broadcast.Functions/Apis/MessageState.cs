using System.Text.Json.Serialization;

namespace Broadcast.Functions.Apis;

/// <summary>The answer of <c>POST /api/messages</c>, its 202 and its 200 alike, so a generated client reads both with
/// one type: the message's broadcast as <c>GET /api/broadcasts/{id}</c> shows it, with the links of
/// <see cref="BroadcastAccepted"/> to follow it. A 202 leaves <c>recipient</c> out (the message is not finished).</summary>
public sealed record MessageState : BroadcastState
{
    public MessageState(BroadcastState state, BroadcastAccepted links) : base(state)
    {
        StatusQueryGetUri = links.StatusQueryGetUri;
        CancelPostUri = links.CancelPostUri;
        RecipientsGetUri = links.RecipientsGetUri;
    }

    // After the state's own properties (a derived record's would come first).
    [JsonPropertyName("statusQueryGetUri"), JsonPropertyOrder(1)] public string StatusQueryGetUri { get; }
    [JsonPropertyName("cancelPostUri"), JsonPropertyOrder(1)] public string CancelPostUri { get; }
    [JsonPropertyName("recipientsGetUri"), JsonPropertyOrder(1)] public string RecipientsGetUri { get; }
}
