using System.ComponentModel;

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
    [property: Description("When to send: ISO 8601 with its offset (2026-12-01T09:00:00+07:00), or without one (2026-12-01T09:00:00), read in `time_zone`. Now when left out.")]
    string? StartedAt,
    string? Delivery,
    [property: Description("The IANA time zone its local times are read in and answered with, such as Asia/Makassar; Messaging__TimeZone (Asia/Jakarta) when left out.")]
    string? TimeZone = null,
    [property: Description("When it may send, in its time zone; outside it, it waits (status waiting, resumes_at) and goes on by itself at the next opening.")]
    WindowRequest? Window = null,
    [property: Description("A recipient not sent by then ends expired and is never sent afterwards. ISO 8601, read like started_at.")]
    string? ExpiresAt = null,
    [property: Description("Sends at most this many per minute, evenly spaced, even when the channel could go faster.")]
    int? MaxPerMinute = null,
    [property: Description("Told once the broadcast is finished: a POST of its final state, signed in header x-broadcast-signature (sha256=<hex HMAC-SHA256 of the body under Notifications__Secret>), retried until a 2xx for up to 24 h. https to a public address.")]
    string? NotifyUrl = null);
