using System.Text.Json.Serialization;

namespace Broadcast.Functions.Apis;

public sealed record CreateBroadcastRequest(
    string? Name,
    string? Provider,
    string? UploadId,
    IReadOnlyList<InlineRecipient?>? Recipients,
    [property: JsonConverter(typeof(TemplateOrNameConverter))] TemplateRequest? Template,
    string? Text,
    string? Event,
    ChannelRequest? Channel,
    bool? IsGroup,
    string? Delivery,
    bool? NativeBulk,
    IReadOnlyList<string?>? Fallback = null) : CampaignControlsRequest;
