using Broadcast.Core.Campaigns;
using Broadcast.Core.Messaging;

namespace Broadcast.Core.Workflow;

/// <summary>A broadcast as a caller asks for it (a single message is a broadcast of one).</summary>
public sealed record NewBroadcast(
    string? Name,
    Provider Provider,
    MessageContent Content,
    ChannelSpec? Channel,
    bool IsGroup,
    DeliveryGuarantee Delivery,
    bool NativeBulk,
    DateTimeOffset? StartedAt,
    string? UploadId,
    IReadOnlyList<Recipient>? Recipients,
    IReadOnlyList<string> VariableNames,
    bool SingleMessage,
    IReadOnlyList<FallbackRoute>? Fallback = null,
    string? TemplateName = null,
    CampaignControls? Controls = null);
