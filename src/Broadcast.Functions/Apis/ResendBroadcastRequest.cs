using System.ComponentModel;

namespace Broadcast.Functions.Apis;

/// <summary>The body of <c>POST /api/broadcasts/{id}/resend</c>; it may be left out (failed and unknown, now).</summary>
public sealed record ResendBroadcastRequest(
    [property: Description("Which of the original's recipients to send again, by their status in its log: failed, unknown, expired, canceled. failed and unknown when left out.")]
    IReadOnlyList<string?>? Statuses = null,
    [property: Description("When to send: ISO 8601 with its offset, or without one, read in the original's time zone. Now when left out.")]
    string? StartedAt = null,
    [property: Description("The delivery window; the original's when left out.")]
    WindowRequest? Window = null,
    [property: Description("A recipient not sent by then ends expired. The original's expires_at when it is still ahead, else none, when left out.")]
    string? ExpiresAt = null);
