using System.ComponentModel;

namespace Broadcast.Functions.Apis;

/// <summary>The body of <c>POST /api/broadcasts/{id}/resend</c>; it may be left out (failed and unknown, now).</summary>
public sealed record ResendBroadcastRequest(
    [property: Description(ControlDescriptions.ResendStatuses)]
    IReadOnlyList<string?>? Statuses = null,
    [property: Description(ControlDescriptions.ResendStartedAt)]
    string? StartedAt = null,
    [property: Description(ControlDescriptions.ResendWindow)]
    WindowRequest? Window = null,
    [property: Description(ControlDescriptions.ResendExpiresAt)]
    string? ExpiresAt = null);
