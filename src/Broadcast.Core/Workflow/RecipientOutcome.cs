namespace Broadcast.Core.Workflow;

/// <summary>One recipient's fate inside a batch.</summary>
public sealed record RecipientOutcome(string Status, int Attempts = 0, DateTimeOffset? SentAt = null, string? ProviderMessageId = null, string? Error = null)
{
    public static readonly RecipientOutcome Queued = new(RecipientStatus.Queued);
}
