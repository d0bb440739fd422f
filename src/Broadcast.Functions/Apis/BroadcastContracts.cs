using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record TemplateRequest(
    string? Name,
    JsonElement? Id,
    string? Namespace,
    string? Language,
    JsonElement? Variables,
    IReadOnlyList<ButtonRequest>? Buttons);

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
    IReadOnlyList<InlineRecipient>? Recipients,
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
    string Status,
    [property: JsonPropertyName("statusQueryGetUri")] string StatusQueryGetUri,
    [property: JsonPropertyName("cancelPostUri")] string CancelPostUri,
    [property: JsonPropertyName("recipientsGetUri")] string RecipientsGetUri);

public sealed record RecipientState(
    int Row,
    string PhoneNumber,
    string? Name,
    string Status,
    int Attempts,
    string? ProviderMessageId,
    string? Error,
    DateTimeOffset? SentAt)
{
    public static RecipientState From(RecipientView v) =>
        new(v.Row, v.PhoneNumber, v.Name, v.Status, v.Attempts, v.ProviderMessageId, v.Error, v.SentAt);
}

public sealed record BroadcastState(
    string Id,
    string? Name,
    string Provider,
    string Status,
    string Delivery,
    bool NativeBulk,
    string? UploadId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CanceledAt,
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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RecipientState? Recipient)
{
    public static BroadcastState From(BroadcastRecord r, RecipientState? recipient = null)
    {
        var d = r.Definition;
        return new BroadcastState(d.Id, d.Name, d.Provider.ToString().ToLowerInvariant(), r.Status,
            d.Delivery == Broadcast.Core.Messaging.DeliveryGuarantee.AtMostOnce ? "at_most_once" : "at_least_once",
            d.NativeBulk, d.UploadId, d.CreatedAt, r.StartedAt ?? d.ScheduledAt, r.CompletedAt, r.CanceledAt,
            d.TotalRecipients, r.Queued, r.Sent, r.Failed, r.Canceled, r.Unknown, r.Suppressed, r.Received, r.Read, r.Error, recipient);
    }
}

public sealed record BroadcastList(IReadOnlyList<BroadcastState> Items, string? Continuation);

public sealed record RecipientList(IReadOnlyList<RecipientState> Items, string? Continuation);
