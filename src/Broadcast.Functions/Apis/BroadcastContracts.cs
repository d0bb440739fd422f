using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record TemplateRequest(
    string? Name,
    JsonElement? Id,
    string? Namespace,
    string? Language,
    JsonElement? Variables,
    IReadOnlyList<ButtonRequest?>? Buttons);

public sealed record ButtonRequest(string? Type, JsonElement? Values, int? Index);

public sealed record ChannelRequest(long? ChannelId, string? ChannelName, string? ExternalId, string? DeviceKey);

public sealed record SendMessageRequest(
    string? Provider,
    string? To,
    string? Name,
    string? Text,
    string? Event,
    TemplateRequest? Template,
    ChannelRequest? Channel,
    bool? IsGroup,
    DateTimeOffset? StartedAt,
    string? Delivery);

public sealed record InlineRecipient(string? To, string? Name, JsonElement? Variables);

public sealed record CreateBroadcastRequest(
    string? Name,
    string? Provider,
    string? UploadId,
    IReadOnlyList<InlineRecipient?>? Recipients,
    TemplateRequest? Template,
    string? Text,
    string? Event,
    ChannelRequest? Channel,
    bool? IsGroup,
    DateTimeOffset? StartedAt,
    string? Delivery,
    bool? NativeBulk);

/// <summary>The Durable Functions-style answer to a start: where to watch, cancel and read the log.</summary>
public sealed record BroadcastAccepted(
    string Id,
    BroadcastStatusName Status,
    [property: JsonPropertyName("statusQueryGetUri")] string StatusQueryGetUri,
    [property: JsonPropertyName("cancelPostUri")] string CancelPostUri,
    [property: JsonPropertyName("recipientsGetUri")] string RecipientsGetUri);

public sealed record RecipientState(
    int Row,
    string PhoneNumber,
    string? Name,
    RecipientStatusName Status,
    int Attempts,
    string? ProviderMessageId,
    string? Error,
    DateTimeOffset? SentAt)
{
    public static RecipientState From(RecipientView v) =>
        new(v.Row, v.PhoneNumber, v.Name, StatusNames.OfRecipient(v.Status), v.Attempts, v.ProviderMessageId, v.Error, v.SentAt);
}

public sealed record BroadcastState(
    string Id,
    string? Name,
    Provider Provider,
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
        return new BroadcastState(d.Id, d.Name, d.Provider, StatusNames.Of(r.Status), d.Delivery,
            d.NativeBulk, d.UploadId, d.CreatedAt, r.StartedAt ?? d.ScheduledAt, r.CompletedAt, r.CanceledAt,
            r.Status == Broadcast.Core.Workflow.BroadcastStatus.Waiting ? r.ResumesAt : null,
            d.TotalRecipients, d.TotalRecipients - counters.Total, counters.Sent, counters.Failed, counters.Canceled, counters.Unknown,
            counters.Suppressed, r.Received, r.Read, r.Error,
            MessageView.From(d), recipient);
    }
}

/// <summary>What a broadcast sends, as it was asked for: the text, event or template and the channel. The channel's
/// device key is a secret and is never shown.</summary>
public sealed record MessageView(string? Text, string? Event, TemplateSpec? Template, ChannelView Channel, bool IsGroup)
{
    public static MessageView From(BroadcastDefinition d) => new(d.Content.Text, d.Content.Event, d.Content.Template,
        new ChannelView(d.Channel.ChannelId, d.Channel.ChannelName, d.Channel.ExternalId), d.IsGroup);
}

public sealed record ChannelView(long? ChannelId, string? ChannelName, string? ExternalId);

public sealed record BroadcastList(IReadOnlyList<BroadcastState> Items, string? Continuation);

public sealed record RecipientList(IReadOnlyList<RecipientState> Items, string? Continuation);
