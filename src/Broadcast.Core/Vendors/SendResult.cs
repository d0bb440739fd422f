namespace Broadcast.Core.Vendors;

/// <param name="MaybeDelivered">The answer does not prove the vendor did not act: a 500, 502, 504 (or any 5xx but 503),
/// or no answer at all after the request went out (a timeout, a reset). at_most_once never repeats such a call.</param>
public sealed record SendResult(SendOutcome Outcome, string? ProviderMessageId = null, string? Error = null,
    TimeSpan? RetryAfter = null, int? StatusCode = null, bool MaybeDelivered = false)
{
    public bool RateLimited => StatusCode == 429;

    public static SendResult Accepted(string? providerMessageId) => new(SendOutcome.Accepted, providerMessageId);
}
