using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Vendors;
using Polly;
using Polly.Retry;

namespace Broadcast.Core.Workflow;

/// <summary>The activity the workflow fans out to: one vendor call with its retries, paced by the channel's
/// share in this process (<see cref="ChannelPacers"/>) and, when set, the recipient's pair rate. Retries are a Polly
/// pipeline with this product's rules (not the standard HTTP resilience handler, which would repeat calls that may
/// have reached the vendor): transient failures back off exponentially with jitter, never sooner than Retry-After; a
/// 429 slows the channel on every instance; under at_most_once a call that may have reached the vendor is never
/// repeated; attempts made before a crash count against <see cref="RetryPolicy.MaxAttempts"/>.</summary>
public sealed class VendorSender
{
    private static readonly ResiliencePropertyKey<Attempts> AttemptsKey = new("broadcast.send.attempts");

    private readonly ChannelPacers _pacers;
    private readonly RecipientInterval _pairs;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<SendResult> _retries;

    public VendorSender(ChannelPacers pacers, RecipientInterval pairs, RetryPolicy retry, TimeProvider time)
    {
        _pacers = pacers;
        _pairs = pairs;
        _retry = retry;
        _time = time;
        _retries = new ResiliencePipelineBuilder<SendResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<SendResult>
            {
                // The limit is the recipient's, across crashes: ShouldHandle counts it, so Polly's own never binds.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } result && ShouldRetry(args.Context.Properties.GetValue(AttemptsKey, null!), result)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    _retry.Backoff(args.Context.Properties.GetValue(AttemptsKey, null!).Made, args.Outcome.Result?.RetryAfter)),
                OnRetry = args =>
                {
                    var attempts = args.Context.Properties.GetValue(AttemptsKey, null!);
                    VendorCallTelemetry.Retrying(attempts.Vendor, attempts.ChannelKey);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>One recipient's (or one bulk call's) attempts: what the retry rules look at.</summary>
    private sealed class Attempts(IVendorClient vendor, string channelKey, ChannelCoordinator channel, DeliveryGuarantee delivery,
        Func<bool> canceled, int made)
    {
        public IVendorClient Vendor { get; } = vendor;
        public string ChannelKey { get; } = channelKey;
        public ChannelCoordinator Channel { get; } = channel;
        public DeliveryGuarantee Delivery { get; } = delivery;
        public Func<bool> Canceled { get; } = canceled;
        public int Made { get; set; } = made;
        public bool CanceledBeforeCall { get; set; }
    }

    private bool ShouldRetry(Attempts attempts, SendResult result) =>
        result.Outcome == SendOutcome.Transient
        && !attempts.CanceledBeforeCall
        && !(attempts.Delivery == DeliveryGuarantee.AtMostOnce && result.MaybeDelivered)
        && attempts.Made < _retry.MaxAttempts
        && !attempts.Canceled();

    /// <param name="recipient">The number this call goes to, for the pair rate; null for bulk calls and groups.</param>
    /// <param name="recipients">How many recipients the call carries (a bulk call's group), for its span.</param>
    public async Task<RecipientOutcome> SendAsync(IVendorClient vendor, string channelKey, DeliveryGuarantee delivery,
        Func<CancellationToken, Task<SendResult>> call, Func<bool> canceled, int attemptsSoFar, CancellationToken ct,
        string? recipient = null, int recipients = 1)
    {
        var attempts = new Attempts(vendor, channelKey, _pacers.For(channelKey, vendor.Options), delivery, canceled, attemptsSoFar);
        if (canceled()) return new RecipientOutcome(RecipientStatus.Canceled, attempts.Made);
        var context = ResilienceContextPool.Shared.Get(ct);
        SendResult result;
        try
        {
            context.Properties.Set(AttemptsKey, attempts);
            result = await _retries.ExecuteAsync(
                static (context, state) => state.Sender.CallAsync(state.Attempts, state.Call, state.Recipient, state.Recipients, context.CancellationToken),
                context, (Sender: this, Attempts: attempts, Call: call, Recipient: recipient, Recipients: recipients));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (attempts.CanceledBeforeCall) return new RecipientOutcome(RecipientStatus.Canceled, attempts.Made);
        return result.Outcome switch
        {
            SendOutcome.Accepted => new RecipientOutcome(RecipientStatus.Sent, attempts.Made, _time.GetUtcNow(), result.ProviderMessageId),
            SendOutcome.Permanent => new RecipientOutcome(RecipientStatus.Failed, attempts.Made, Error: result.Error),
            _ when delivery == DeliveryGuarantee.AtMostOnce && result.MaybeDelivered =>
                new RecipientOutcome(RecipientStatus.Unknown, attempts.Made, Error: $"{result.Error}; not retried (at_most_once)"),
            _ when attempts.Made >= _retry.MaxAttempts =>
                new RecipientOutcome(RecipientStatus.Failed, attempts.Made, Error: $"gave up after {attempts.Made} attempts: {result.Error}"),
            _ => new RecipientOutcome(RecipientStatus.Canceled, attempts.Made), // retries left, but the broadcast was canceled
        };
    }

    /// <summary>One attempt: the channel's slot and the recipient's turn, then the call right after.</summary>
    private async ValueTask<SendResult> CallAsync(Attempts attempts, Func<CancellationToken, Task<SendResult>> call,
        string? recipient, int recipients, CancellationToken ct)
    {
        var interval = recipient is null ? TimeSpan.Zero : attempts.Vendor.Options.MinIntervalPerRecipient;
        while (true)
        {
            TimeSpan wait;
            using (await attempts.Channel.AcquireAsync(ct))
            {
                if (attempts.Canceled())
                {
                    attempts.CanceledBeforeCall = true;
                    return new SendResult(SendOutcome.Transient, Error: "canceled");
                }
                // The turn is taken holding the slot, so that the call goes out right after it.
                var turn = interval > TimeSpan.Zero ? await _pairs.TakeTurnAsync(attempts.ChannelKey, recipient!, interval, ct) : null;
                wait = turn?.Wait ?? TimeSpan.Zero;
                if (wait == TimeSpan.Zero)
                {
                    attempts.Made++;
                    var telemetry = VendorCallTelemetry.Start(attempts.Vendor, attempts.ChannelKey, attempts.Made, recipient, recipients,
                        attempts.Vendor.Options.BaseUrl);
                    try
                    {
                        var result = await call(ct);
                        telemetry.End(result);
                        if (result.RateLimited) attempts.Channel.Throttled(result.RetryAfter);
                        return result;
                    }
                    catch (Exception e)
                    {
                        telemetry.Fail(e);
                        throw;
                    }
                    finally
                    {
                        if (turn is not null) await _pairs.AnsweredAsync(turn);
                    }
                }
            }
            await Task.Delay(wait, _time, ct); // the later send waits its turn; it is not failed
        }
    }
}
