using Broadcast.Core.Messaging;
using Broadcast.Core.Suppressions;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Callbacks;

/// <summary>A customer writing back.</summary>
public sealed record InboundReply(Provider Provider, string? From, string? Text);
