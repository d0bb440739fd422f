using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record RecipientState(
    int Row,
    string PhoneNumber,
    string? Name,
    RecipientStatusName Status,
    int Attempts,
    string? ProviderMessageId,
    string? Error,
    DateTimeOffset? SentAt,
    [property: System.ComponentModel.Description("When the vendor reported it delivered; null until then.")] DateTimeOffset? DeliveredAt,
    [property: System.ComponentModel.Description("When the vendor reported it read; null until then.")] DateTimeOffset? ReadAt)
{
    public static RecipientState From(RecipientView v) =>
        new(v.Row, v.PhoneNumber, v.Name, StatusNames.OfRecipient(v.Status), v.Attempts, v.ProviderMessageId, v.Error, v.SentAt, v.DeliveredAt, v.ReadAt);
}
