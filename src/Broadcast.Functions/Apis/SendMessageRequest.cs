namespace Broadcast.Functions.Apis;

public sealed record SendMessageRequest(
    string? Provider,
    string? To,
    string? Name,
    string? Text,
    string? Event,
    TemplateRequest? Template,
    ChannelRequest? Channel,
    bool? IsGroup,
    DateTimeOffset? StartedAt,
    string? Delivery);
