namespace Broadcast.Core.Vendors;

/// <param name="MaybeDelivered">No answer came (timeout): the vendor may have taken the message.</param>
public sealed record SendResult(SendOutcome Outcome, string? ProviderMessageId = null, string? Error = null,
    TimeSpan? RetryAfter = null, int? StatusCode = null, bool MaybeDelivered = false)
{
    public bool RateLimited => StatusCode == 429;

    public static SendResult Accepted(string? providerMessageId) => new(SendOutcome.Accepted, providerMessageId);
}
