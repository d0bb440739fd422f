using System.Text.Json.Serialization;
using Broadcast.Core.Campaigns;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public record BroadcastState(
    string Id,
    string? Name,
    Provider Provider,
    IReadOnlyList<Provider> Fallback,
    BroadcastStatusName Status,
    DeliveryGuarantee Delivery,
    bool NativeBulk,
    string? UploadId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CanceledAt,
    DateTimeOffset? ResumesAt,
    long TotalRecipient,
    long TotalQueued,
    long TotalSent,
    long TotalFailed,
    long TotalCanceled,
    long TotalUnknown,
    long TotalSuppressed,
    long TotalFailover,
    long TotalExpired,
    long TotalReceived,
    long TotalRead,
    string? Error,
    MessageView Message,
    string TimeZone,
    WindowView? Window,
    DateTimeOffset? ExpiresAt,
    int? MaxPerMinute,
    string? NotifyUrl,
    string? ResendOf,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RecipientState? Recipient)
{
    public static BroadcastState From(BroadcastRecord r, RecipientState? recipient = null)
    {
        var d = r.Definition;
        var counters = r.Counters;
        var run = d.Run;
        var zone = d.Zone;
        // Every time with the broadcast's own offset (its time_zone): the same instants, as its users read them.
        DateTimeOffset? Local(DateTimeOffset? at) => at is { } value ? TimeZones.InZone(value, zone) : null;
        return new BroadcastState(d.Id, d.Name, d.Provider, d.Fallback?.Select(f => f.Provider).ToList() ?? [], StatusNames.Of(r.Status), d.Delivery,
            d.NativeBulk, d.UploadId, Local(d.CreatedAt)!.Value, Local(r.StartedAt ?? d.ScheduledAt), Local(r.CompletedAt), Local(r.CanceledAt),
            r.Status == Broadcast.Core.Workflow.BroadcastStatus.Waiting ? Local(r.ResumesAt) : null,
            d.TotalRecipients, d.TotalRecipients - counters.Total, counters.Sent, counters.Failed, counters.Canceled, counters.Unknown,
            counters.Suppressed, counters.Failover, counters.Expired, r.Received, r.Read, r.Error,
            MessageView.From(d), run.TimeZone, WindowView.Of(run.Window), Local(run.ExpiresAt), run.MaxPerMinute, run.NotifyUrl, run.ResendOf, recipient);
    }
}
