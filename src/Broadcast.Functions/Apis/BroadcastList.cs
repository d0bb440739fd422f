using System.Text.Json.Serialization;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record BroadcastList(IReadOnlyList<BroadcastState> Items, string? Continuation);
