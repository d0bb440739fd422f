namespace Broadcast.Sandbox.Khoros;

internal sealed record KhorosError(string Status, string Message);

/// <summary>The real success response is undocumented; kept deliberately small.</summary>
internal sealed record KhorosAccepted(string Status, string Id, int Audience);
