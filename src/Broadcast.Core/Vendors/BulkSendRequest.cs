using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors;

/// <summary>Many recipients of one broadcast in the vendor's own bulk call(s).</summary>
public sealed record BulkSendRequest(
    string BroadcastName,
    MessageContent Content,
    ChannelSpec Channel,
    IReadOnlyList<Recipient> Recipients,
    IReadOnlyList<string> VariableNames);
