using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;
using Broadcast.Core.Workflow;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>One recipient's send through the workflow: retries, backoff, Retry-After, at_most_once, 429 pacing.</summary>
public sealed class SendRetryTests
{
    private static SendResult Transient(TimeSpan? retryAfter = null, bool maybeDelivered = false, int status = 503) =>
        new(SendOutcome.Transient, Error: $"vendor answered {status}", RetryAfter: retryAfter, StatusCode: status, MaybeDelivered: maybeDelivered);

    [Fact]
    public async Task A_transient_failure_is_retried_after_the_vendors_Retry_After_and_then_sent()
    {
        using var clock = new RunningClock();
        await using var harness = new DurableHarness(time: clock);
        await harness.StartInstanceAsync();
        harness.Vendor.Answer = (_, n) => n <= 2 ? Transient(TimeSpan.FromSeconds(5)) : SendResult.Accepted("m");
        var accepted = await harness.AcceptAsync(1);

        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(new Tally(Sent: 1), done.Counters);
        var calls = harness.Vendor.Calls.Select(c => c.At).ToList();
        Assert.Equal(3, calls.Count);
        Assert.True(calls[1] - calls[0] >= TimeSpan.FromSeconds(5));
        Assert.True(calls[2] - calls[1] >= TimeSpan.FromSeconds(5));
        Assert.Equal(3, Assert.Single(await harness.RecipientsAsync(accepted.Id)).Attempts);
    }

    [Fact]
    public async Task Without_Retry_After_the_backoff_doubles_with_jitter_on_its_upper_half()
    {
        using var clock = new RunningClock();
        await using var harness = new DurableHarness(time: clock, messaging: m =>
        {
            m.RetryBaseDelay = TimeSpan.FromSeconds(2);
            m.MaxAttempts = 4;
        });
        await harness.StartInstanceAsync();
        harness.Vendor.Answer = (_, n) => n <= 3 ? Transient() : SendResult.Accepted("m");
        var accepted = await harness.AcceptAsync(1);

        await harness.WaitAsync(accepted.Id);

        var calls = harness.Vendor.Calls.Select(c => c.At).ToList();
        var slack = TimeSpan.FromMilliseconds(200); // the clock moves in ticks of 20 ms while a send waits
        Assert.InRange(calls[1] - calls[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) + slack);
        Assert.InRange(calls[2] - calls[1], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) + slack);
        Assert.InRange(calls[3] - calls[2], TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8) + slack);
    }

    [Fact]
    public async Task A_send_that_keeps_failing_gives_up_after_MaxAttempts_with_the_reason()
    {
        using var clock = new RunningClock();
        await using var harness = new DurableHarness(time: clock, messaging: m => m.MaxAttempts = 3);
        await harness.StartInstanceAsync();
        harness.Vendor.Answer = (_, _) => Transient(status: 500);
        var accepted = await harness.AcceptAsync(1);

        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Failed, done.Status);
        Assert.Equal(3, harness.Vendor.Calls.Count);
        var recipient = Assert.Single(await harness.RecipientsAsync(accepted.Id));
        Assert.Equal(RecipientStatus.Failed, recipient.Status);
        Assert.Contains("gave up after 3 attempts", recipient.Error);
    }

    [Fact]
    public async Task A_refusal_is_not_retried_and_the_others_are_still_sent()
    {
        using var clock = new RunningClock();
        await using var harness = new DurableHarness(time: clock);
        await harness.StartInstanceAsync();
        harness.Vendor.Answer = (phone, _) => phone == DurableHarness.Phone(2)
            ? new SendResult(SendOutcome.Permanent, Error: "invalid recipient", StatusCode: 400)
            : SendResult.Accepted("m");
        var accepted = await harness.AcceptAsync(3);

        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(new Tally(Sent: 2, Failed: 1), done.Counters);
        Assert.Equal(1, harness.Vendor.CallsTo(DurableHarness.Phone(2)));
    }

    [Theory]
    [InlineData(DeliveryGuarantee.AtMostOnce, RecipientStatus.Unknown, 1)]
    [InlineData(DeliveryGuarantee.AtLeastOnce, RecipientStatus.Sent, 2)]
    public async Task A_call_that_may_have_reached_the_vendor_is_repeated_only_under_at_least_once(DeliveryGuarantee delivery, string status, int calls)
    {
        using var clock = new RunningClock();
        await using var harness = new DurableHarness(time: clock);
        await harness.StartInstanceAsync();
        harness.Vendor.Answer = (_, n) => n == 1 ? Transient(maybeDelivered: true, status: 504) : SendResult.Accepted("m");
        var accepted = await harness.AcceptAsync(1, delivery: delivery);

        await harness.WaitAsync(accepted.Id);

        Assert.Equal(status, Assert.Single(await harness.RecipientsAsync(accepted.Id)).Status);
        Assert.Equal(calls, harness.Vendor.Calls.Count);
    }

    [Fact]
    public async Task A_429_pauses_the_whole_channel_for_Retry_After_and_every_recipient_is_still_sent()
    {
        using var clock = new RunningClock();
        await using var harness = new DurableHarness(time: clock);
        await harness.StartInstanceAsync();
        harness.Vendor.Options.RatePerSecond = 40;
        var limited = DateTimeOffset.MaxValue;
        harness.Vendor.Answer = (_, n) =>
        {
            if (n != 50) return SendResult.Accepted("m");
            limited = harness.Time.GetUtcNow();
            return Transient(TimeSpan.FromSeconds(3), status: 429);
        };
        var accepted = await harness.AcceptAsync(200);

        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(new Tally(Sent: 200), done.Counters);
        Assert.Equal(201, harness.Vendor.Calls.Count);
        // Calls already past the channel when the 429 came may still land; none starts inside the pause after them.
        var during = harness.Vendor.Calls.Count(c => c.At > limited + TimeSpan.FromMilliseconds(200) && c.At < limited + TimeSpan.FromSeconds(3));
        Assert.Equal(0, during);
    }
}
