namespace Broadcast.Core.Workflow;

/// <summary>Retries of one send (settings section <c>Messaging</c> carries them too: see MessagingOptions).</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        // Full jitter on the upper half keeps retries of a whole channel from landing together.
        var jittered = capped / 2 + Random.Shared.NextDouble() * capped / 2;
        var after = retryAfter?.TotalMilliseconds ?? 0;
        return TimeSpan.FromMilliseconds(Math.Max(jittered, after));
    }
}
