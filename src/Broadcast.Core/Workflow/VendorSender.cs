using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Vendors;

namespace Broadcast.Core.Workflow;

/// <summary>The activity the workflow fans out to: one vendor call with its retries, paced by the channel's
/// share in this process (<see cref="ChannelPacers"/>) and, when set, the recipient's pair rate. Transient failures
/// are retried with exponential backoff and jitter, honouring Retry-After; a 429 slows the channel on every
/// instance. Under at_most_once a call that may have reached the vendor is never repeated.</summary>
public sealed class VendorSender(ChannelPacers pacers, RecipientInterval pairs, RetryPolicy retry, TimeProvider time)
{
    /// <param name="recipient">The number this call goes to, for the pair rate; null for bulk calls and groups.</param>
    /// <param name="recipients">How many recipients the call carries (a bulk call's group), for its span.</param>
    public async Task<RecipientOutcome> SendAsync(IVendorClient vendor, string channelKey, DeliveryGuarantee delivery,
        Func<CancellationToken, Task<SendResult>> call, Func<bool> canceled, int attemptsSoFar, CancellationToken ct,
        string? recipient = null, int recipients = 1)
    {
        var channel = pacers.For(channelKey, vendor.Options);
        var interval = recipient is null ? TimeSpan.Zero : vendor.Options.MinIntervalPerRecipient;
        var attempt = attemptsSoFar;
        while (true)
        {
            if (canceled()) return new RecipientOutcome(RecipientStatus.Canceled, attempt);
            SendResult result;
            while (true)
            {
                var lease = await channel.AcquireAsync(ct);
                TimeSpan wait;
                try
                {
                    if (canceled()) return new RecipientOutcome(RecipientStatus.Canceled, attempt);
                    // The turn is taken holding the slot, so that the call goes out right after it.
                    var turn = interval > TimeSpan.Zero ? await pairs.TakeTurnAsync(channelKey, recipient!, interval, ct) : null;
                    wait = turn?.Wait ?? TimeSpan.Zero;
                    if (wait == TimeSpan.Zero)
                    {
                        attempt++;
                        var telemetry = VendorCallTelemetry.Start(vendor.Provider, channelKey, attempt, recipient, recipients);
                        try
                        {
                            result = await call(ct);
                            telemetry.End(result);
                        }
                        catch (Exception e)
                        {
                            telemetry.Fail(e);
                            throw;
                        }
                        finally
                        {
                            if (turn is not null) await pairs.AnsweredAsync(turn);
                        }
                        break;
                    }
                }
                finally
                {
                    lease.Dispose();
                }
                await Task.Delay(wait, time, ct); // the later send waits its turn; it is not failed
            }

            switch (result.Outcome)
            {
                case SendOutcome.Accepted:
                    return new RecipientOutcome(RecipientStatus.Sent, attempt, time.GetUtcNow(), result.ProviderMessageId);
                case SendOutcome.Permanent:
                    return new RecipientOutcome(RecipientStatus.Failed, attempt, Error: result.Error);
            }

            if (result.RateLimited) channel.Throttled(result.RetryAfter);
            if (delivery == DeliveryGuarantee.AtMostOnce && result.MaybeDelivered)
                return new RecipientOutcome(RecipientStatus.Unknown, attempt, Error: $"{result.Error}; not retried (at_most_once)");
            if (attempt >= retry.MaxAttempts)
                return new RecipientOutcome(RecipientStatus.Failed, attempt, Error: $"gave up after {attempt} attempts: {result.Error}");
            VendorCallTelemetry.Retrying(vendor.Provider, channelKey);
            await Task.Delay(retry.Backoff(attempt, result.RetryAfter), time, ct);
        }
    }
}
