using System.ComponentModel;

namespace Broadcast.Functions.Apis;

/// <summary>The campaign controls that <c>POST /api/messages</c> and <c>POST /api/broadcasts</c> (and a drop's
/// request) both take, declared and described once.</summary>
public abstract record CampaignControlsRequest
{
    [Description("When to send: ISO 8601 with its offset (2026-12-01T09:00:00+07:00), or without one (2026-12-01T09:00:00), read in `time_zone`. Now when left out.")]
    public string? StartedAt { get; init; }

    [Description("The IANA time zone its local times are read in and answered with, such as Asia/Makassar; Messaging__TimeZone (Asia/Jakarta) when left out.")]
    public string? TimeZone { get; init; }

    [Description("When it may send, in its time zone; outside it, it waits (status waiting, resumes_at) and goes on by itself at the next opening.")]
    public WindowRequest? Window { get; init; }

    [Description("A recipient not sent by then ends expired and is never sent afterwards. ISO 8601, read like started_at.")]
    public string? ExpiresAt { get; init; }

    [Description("Sends at most this many per minute, evenly spaced, for the whole deployment, even when the channel could go faster.")]
    public int? MaxPerMinute { get; init; }

    [Description("Told once the broadcast is finished: a POST of its final state, signed in header x-broadcast-signature (sha256=<hex HMAC-SHA256 of the body under Notifications__Secret>), retried until a 2xx for up to 24 h. https to a public address.")]
    public string? NotifyUrl { get; init; }
}
