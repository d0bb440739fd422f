namespace Broadcast.Functions.Apis;

public sealed record ChannelRequest(long? ChannelId, string? ChannelName, string? ExternalId, string? DeviceKey);
