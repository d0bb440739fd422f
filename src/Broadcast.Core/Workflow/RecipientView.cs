namespace Broadcast.Core.Workflow;

/// <summary>One recipient's line in a broadcast's log: who (with the variables it was listed with), what happened,
/// and when the vendor reported it delivered and read.</summary>
public sealed record RecipientView(int Row, string PhoneNumber, string? Name, string Status, int Attempts,
    string? ProviderMessageId, string? Error, DateTimeOffset? SentAt, string? Provider = null, IReadOnlyList<ProviderTry>? Tried = null,
    DateTimeOffset? DeliveredAt = null, DateTimeOffset? ReadAt = null, IReadOnlyList<string>? Variables = null);
