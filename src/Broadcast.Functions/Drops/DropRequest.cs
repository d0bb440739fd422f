using Broadcast.Functions.Apis;

namespace Broadcast.Functions.Drops;

/// <summary>A drop's broadcast request as read, or why it cannot be used.</summary>
internal sealed record DropRequest(CreateBroadcastRequest? Request, DropProblem? Problem);
