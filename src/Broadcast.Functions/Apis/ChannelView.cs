namespace Broadcast.Functions.Apis;

public sealed record ChannelView(long? ChannelId, string? ChannelName, string? ExternalId);
