using Broadcast.Core.Messaging;

namespace Broadcast.Core.Workflow;

/// <summary>A provider a recipient goes on to when the one before it failed it for good (a refusal, or still failing
/// after its retries): what that provider sends (a registered template's variant, or the same text) and through which
/// channel (its configured one, resolved at intake).</summary>
/// <param name="VariableNames">The names its variables go by; null: the broadcast's own.</param>
public sealed record FallbackRoute(Provider Provider, MessageContent Content, IReadOnlyList<string>? VariableNames = null, ChannelSpec? Channel = null);
