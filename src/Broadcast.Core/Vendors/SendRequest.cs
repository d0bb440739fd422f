using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors;

/// <summary>One message to one recipient, as the workflow hands it to a vendor adapter.</summary>
public sealed record SendRequest(
    string BroadcastName,
    MessageContent Content,
    ChannelSpec Channel,
    bool IsGroup,
    Recipient Recipient,
    IReadOnlyList<string> VariableNames);
