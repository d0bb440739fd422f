namespace Broadcast.Core.Messaging;

/// <summary>Which vendor channel sends it; unset fields fall back to the configured defaults.</summary>
public sealed record ChannelSpec(long? ChannelId = null, string? ChannelName = null, string? ExternalId = null, string? DeviceKey = null);
