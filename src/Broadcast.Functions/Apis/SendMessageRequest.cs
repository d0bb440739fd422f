using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broadcast.Functions.Apis;

public sealed record SendMessageRequest(
    string? Provider,
    string? To,
    string? Name,
    string? Text,
    string? Event,
    [property: JsonConverter(typeof(TemplateOrNameConverter))] TemplateRequest? Template,
    ChannelRequest? Channel,
    bool? IsGroup,
    string? Delivery,
    JsonElement? Variables = null,
    IReadOnlyList<string?>? Fallback = null) : CampaignControlsRequest;
