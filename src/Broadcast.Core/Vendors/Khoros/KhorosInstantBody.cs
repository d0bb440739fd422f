using System.Text.Json.Serialization;

namespace Broadcast.Core.Vendors.Khoros;

/// <summary>The body of Khoros Flow's instant broadcast: the audience (E.164 numbers and the profile fields the
/// message refers to), the channel, and a text (speech) or an event to trigger.</summary>
public sealed record KhorosInstantBody(
    [property: JsonPropertyName("audience")] IReadOnlyList<KhorosInstantBody.Member> Audience,
    [property: JsonPropertyName("channel")] KhorosInstantBody.Channel To,
    [property: JsonPropertyName("payload")] KhorosInstantBody.Payload Message)
{
    public sealed record Member(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("phoneNumber")] string PhoneNumber,
        [property: JsonPropertyName("profile")] IReadOnlyDictionary<string, string> Profile);

    public sealed record Channel(
        [property: JsonPropertyName("channelName"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ChannelName,
        [property: JsonPropertyName("externalId"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExternalId);

    public sealed record Payload(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("eventName")] string? EventName = null,
        [property: JsonPropertyName("speech")] string? Speech = null);
}

[JsonSerializable(typeof(KhorosInstantBody))]
internal sealed partial class KhorosJson : JsonSerializerContext;
