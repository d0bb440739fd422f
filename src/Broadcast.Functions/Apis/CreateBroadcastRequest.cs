using System.ComponentModel;
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
    [property: Description(ControlDescriptions.StartedAt)]
    string? StartedAt,
    string? Delivery,
    bool? NativeBulk,
    IReadOnlyList<string?>? Fallback = null,
    [property: Description(ControlDescriptions.TimeZone)]
    string? TimeZone = null,
    [property: Description(ControlDescriptions.Window)]
    WindowRequest? Window = null,
    [property: Description(ControlDescriptions.ExpiresAt)]
    string? ExpiresAt = null,
    [property: Description(ControlDescriptions.MaxPerMinute)]
    int? MaxPerMinute = null,
    [property: Description(ControlDescriptions.NotifyUrl)]
    string? NotifyUrl = null);
