namespace Broadcast.Core.Workflow;

/// <summary>One recipient's fate inside a batch.</summary>
/// <param name="Attempts">Vendor calls made for it, on every provider tried.</param>
/// <param name="Provider">The provider of its last call (the one that carried it, when sent); null when only the
/// broadcast's own provider was ever meant (no fallback) or nothing was called.</param>
/// <param name="Tried">With a fallback list, each provider tried, in order, with its attempts and why it was left.</param>
public sealed record RecipientOutcome(string Status, int Attempts = 0, DateTimeOffset? SentAt = null, string? ProviderMessageId = null, string? Error = null,
    string? Provider = null, IReadOnlyList<ProviderTry>? Tried = null)
{
    public static readonly RecipientOutcome Queued = new(RecipientStatus.Queued);

    /// <summary>Sent through more than one provider.</summary>
    public bool FailedOver => Tried is { Count: > 1 };
}

/// <summary>One provider's part in a recipient's send: its attempts, and the error that moved it to the next.</summary>
public sealed record ProviderTry(string Provider, int Attempts, string? Error = null);
