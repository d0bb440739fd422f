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
    Broadcast.Core.Messaging.Provider? Provider,
    IReadOnlyList<ProviderAttempts> AttemptsByProvider,
    [property: System.ComponentModel.Description("When the vendor reported it delivered; null until then.")] DateTimeOffset? DeliveredAt,
    [property: System.ComponentModel.Description("When the vendor reported it read; null until then.")] DateTimeOffset? ReadAt)
{
    public static RecipientState From(RecipientView v) =>
        new(v.Row, v.PhoneNumber, v.Name, StatusNames.OfRecipient(v.Status), v.Attempts, v.ProviderMessageId, v.Error, v.SentAt,
            Broadcast.Core.Messaging.Providers.TryParse(v.Provider, out var p) ? p : null,
            v.Tried?.Select(t => new ProviderAttempts(Broadcast.Core.Messaging.Providers.TryParse(t.Provider, out var tp) ? tp : default, t.Attempts, t.Error)).ToList() ?? [],
            v.DeliveredAt, v.ReadAt);
}

/// <summary>One provider's part in a recipient's send: its attempts, and the error that moved the recipient on (or
/// ended it) there.</summary>
public sealed record ProviderAttempts(Broadcast.Core.Messaging.Provider Provider, int Attempts, string? Error);
