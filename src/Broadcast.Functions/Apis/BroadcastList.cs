namespace Broadcast.Functions.Apis;

public sealed record BroadcastList(IReadOnlyList<BroadcastState> Items, string? Continuation);
