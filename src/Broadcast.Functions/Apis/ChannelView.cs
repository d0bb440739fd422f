using System.Text.Json.Serialization;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record ChannelView(long? ChannelId, string? ChannelName, string? ExternalId);
