namespace Broadcast.Core.Workflow;

/// <summary>One recipient's line in a broadcast's log.</summary>
public sealed record RecipientView(int Row, string PhoneNumber, string? Name, string Status, int Attempts,
    string? ProviderMessageId, string? Error, DateTimeOffset? SentAt, string? Provider = null, IReadOnlyList<ProviderTry>? Tried = null);
