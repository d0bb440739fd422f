using Broadcast.Core.Messaging;

namespace Broadcast.Core.Callbacks;

/// <summary>A customer writing back.</summary>
public sealed record InboundReply(Provider Provider, string? From, string? Text);
