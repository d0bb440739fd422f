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
    DateTimeOffset? SentAt)
{
    public static RecipientState From(RecipientView v) =>
        new(v.Row, v.PhoneNumber, v.Name, StatusNames.OfRecipient(v.Status), v.Attempts, v.ProviderMessageId, v.Error, v.SentAt);
}
