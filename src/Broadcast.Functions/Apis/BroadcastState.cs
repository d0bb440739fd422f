using System.Text.Json.Serialization;
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
    long TotalReceived,
    long TotalRead,
    string? Error,
    MessageView Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RecipientState? Recipient)
{
    public static BroadcastState From(BroadcastRecord r, RecipientState? recipient = null)
    {
        var d = r.Definition;
        var counters = r.Counters;
        return new BroadcastState(d.Id, d.Name, d.Provider, d.Fallback?.Select(f => f.Provider).ToList() ?? [], StatusNames.Of(r.Status), d.Delivery,
            d.NativeBulk, d.UploadId, d.CreatedAt, r.StartedAt ?? d.ScheduledAt, r.CompletedAt, r.CanceledAt,
            r.Status == Broadcast.Core.Workflow.BroadcastStatus.Waiting ? r.ResumesAt : null,
            d.TotalRecipients, d.TotalRecipients - counters.Total, counters.Sent, counters.Failed, counters.Canceled, counters.Unknown,
            counters.Suppressed, counters.Failover, r.Received, r.Read, r.Error,
            MessageView.From(d), recipient);
    }
}
