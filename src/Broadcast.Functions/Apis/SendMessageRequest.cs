using System.ComponentModel;
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
    [property: Description(ControlDescriptions.StartedAt)]
    string? StartedAt,
    string? Delivery,
    JsonElement? Variables = null,
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
