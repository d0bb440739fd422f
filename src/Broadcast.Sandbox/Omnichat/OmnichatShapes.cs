namespace Broadcast.Sandbox.Omnichat;

/// <summary>Omnichat answers every outcome in this shape; <c>"status": false</c> means not sent whatever the HTTP code.</summary>
internal sealed record OmnichatResponse(bool Status, string Message);
