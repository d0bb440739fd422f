using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;

namespace Broadcast.Core.Workflow;

/// <summary>The activity the workflow fans out to: one vendor call with its retries, paced by the channel's
/// throttle. Transient failures are retried with exponential backoff and jitter, honouring Retry-After; a 429
/// slows the whole channel. Under at_most_once a call that may have reached the vendor is never repeated.</summary>
public sealed class VendorSender(ChannelThrottles throttles, RetryPolicy retry)
{
    public async Task<RecipientOutcome> SendAsync(IVendorClient vendor, string channelKey, DeliveryGuarantee delivery,
        Func<CancellationToken, Task<SendResult>> call, Func<bool> canceled, int attemptsSoFar, CancellationToken ct)
    {
        var throttle = throttles.For(channelKey, vendor.Options);
        var attempt = attemptsSoFar;
        while (true)
        {
            if (canceled()) return new RecipientOutcome(RecipientStatus.Canceled, attempt);
            attempt++;
            SendResult result;
            using (await throttle.AcquireAsync(ct))
            {
                if (canceled()) return new RecipientOutcome(RecipientStatus.Canceled, attempt - 1);
                result = await call(ct);
            }

            switch (result.Outcome)
            {
                case SendOutcome.Accepted:
                    return new RecipientOutcome(RecipientStatus.Sent, attempt, DateTimeOffset.UtcNow, result.ProviderMessageId);
                case SendOutcome.Permanent:
                    return new RecipientOutcome(RecipientStatus.Failed, attempt, Error: result.Error);
            }

            if (result.RateLimited) throttle.SlowDown(result.RetryAfter);
            if (delivery == DeliveryGuarantee.AtMostOnce && result.MaybeDelivered)
                return new RecipientOutcome(RecipientStatus.Unknown, attempt, Error: $"{result.Error}; not retried (at_most_once)");
            if (attempt >= retry.MaxAttempts)
                return new RecipientOutcome(RecipientStatus.Failed, attempt, Error: $"gave up after {attempt} attempts: {result.Error}");
            await Task.Delay(retry.Backoff(attempt, result.RetryAfter), ct);
        }
    }
}
