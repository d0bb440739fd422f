using Broadcast.Core.Campaigns;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;

namespace Broadcast.Core.Workflow;

/// <summary>What a broadcast is, fixed when it is accepted.</summary>
public sealed record BroadcastDefinition(
    string Id,
    string? Name,
    Provider Provider,
    MessageContent Content,
    ChannelSpec Channel,
    bool IsGroup,
    DeliveryGuarantee Delivery,
    bool NativeBulk,
    string? UploadId,
    RecipientSetLocation Recipients,
    long TotalRecipients,
    int PageSize,
    int PagesPerBatch,
    IReadOnlyList<string> VariableNames,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset CreatedAt,
    bool SingleMessage,
    string? TraceParent = null,
    IReadOnlyList<FallbackRoute>? Fallback = null,
    string? TemplateName = null,
    CampaignControls? Controls = null)
{
    public int RecipientsPerBatch => PageSize * PagesPerBatch;

    public int BatchCount => (int)((TotalRecipients + RecipientsPerBatch - 1) / RecipientsPerBatch);

    public int CountOf(int batch) => (int)Math.Min(RecipientsPerBatch, TotalRecipients - (long)batch * RecipientsPerBatch);

    /// <summary>The name vendors see (Qiscus broadcasts have one).</summary>
    /// <summary>Its controls; a broadcast stored before they existed has the defaults.</summary>
    public CampaignControls Run => Controls ?? CampaignControls.Default();

    public TimeZoneInfo Zone => TimeZones.Of(Run.TimeZone);

    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? $"broadcast {Id}" : Name!;
}
