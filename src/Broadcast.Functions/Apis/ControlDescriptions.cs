namespace Broadcast.Functions.Apis;

/// <summary>What the OpenAPI document says of each campaign control, written once for every body that takes it.</summary>
internal static class ControlDescriptions
{
    public const string StartedAt = "When to send: ISO 8601 with its offset (2026-12-01T09:00:00+07:00), or without one (2026-12-01T09:00:00), read in `time_zone`. Now when left out.";
    public const string TimeZone = "The IANA time zone its local times are read in and answered with, such as Asia/Makassar; Messaging__TimeZone (Asia/Jakarta) when left out.";
    public const string Window = "When it may send, in its time zone; outside it, it waits (status waiting, resumes_at) and goes on by itself at the next opening.";
    public const string ExpiresAt = "A recipient not sent by then ends expired and is never sent afterwards. ISO 8601, read like started_at.";
    public const string MaxPerMinute = "Sends at most this many per minute, evenly spaced, for the whole deployment, even when the channel could go faster.";
    public const string NotifyUrl = "Told once the broadcast is finished: a POST of its final state, signed in header x-broadcast-signature (sha256=<hex HMAC-SHA256 of the body under Notifications__Secret>), retried until a 2xx for up to 24 h. https to a public address.";

    public const string ResendStatuses = "Which of the original's recipients to send again, by their status in its log: failed, unknown, expired, canceled. failed and unknown when left out.";
    public const string ResendStartedAt = "When to send: ISO 8601 with its offset, or without one, read in the original's time_zone. Now when left out.";
    public const string ResendWindow = "The delivery window; the original's when left out.";
    public const string ResendExpiresAt = "A recipient not sent by then ends expired. The original's expires_at when it is still ahead, else none, when left out.";
}
