using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>An instance dies in the middle of a broadcast; the engine runs its batch activities again on another.</summary>
public sealed class CrashResumeTests
{
    /// <summary>1,000 recipients on one instance that dies at the 300th vendor call; returns once its steps stopped.</summary>
    private static async Task<(BroadcastRecord Accepted, BroadcastRecord Crashed)> CrashAt300Async(DurableHarness harness, DeliveryGuarantee delivery)
    {
        var first = await harness.StartInstanceAsync();
        harness.Vendor.Options.RatePerSecond = 200; // 300 calls take 1.5 s: several commits before the crash
        var crashed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Vendor.BeforeAnswer = n =>
        {
            if (n == 300) _ = Task.Run(async () => { await first.CrashAsync(); crashed.SetResult(); });
        };
        var accepted = await harness.AcceptAsync(1000, delivery: delivery);
        await crashed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return (accepted, (await harness.GetAsync(accepted.Id))!);
    }

    [Fact]
    public async Task At_least_once_every_recipient_is_sent_and_those_committed_before_the_crash_are_not_sent_again()
    {
        await using var harness = new DurableHarness();
        var (accepted, crashed) = await CrashAt300Async(harness, DeliveryGuarantee.AtLeastOnce);
        Assert.Equal(BroadcastStatus.Running, crashed.Status);
        var committed = (await harness.RecipientsAsync(accepted.Id)).Where(r => r.Status == RecipientStatus.Sent).Select(r => r.PhoneNumber).ToList();
        Assert.NotEmpty(committed);

        await harness.StartInstanceAsync();
        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(new Tally(Sent: 1000), done.Counters);
        Assert.All(committed, phone => Assert.Equal(1, harness.Vendor.CallsTo(phone)));
        Assert.All(Enumerable.Range(1, 1000), i => Assert.InRange(harness.Vendor.CallsTo(DurableHarness.Phone(i)), 1, 2));
    }

    [Fact]
    public async Task At_most_once_nobody_is_called_twice_and_the_calls_cut_off_by_the_crash_end_unknown()
    {
        await using var harness = new DurableHarness();
        var (accepted, _) = await CrashAt300Async(harness, DeliveryGuarantee.AtMostOnce);
        await harness.StartInstanceAsync();
        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(1000, done.Counters.Sent + done.Counters.Unknown);
        Assert.InRange(done.Counters.Unknown, 1, 300);
        Assert.Equal(harness.Vendor.Calls.Count, harness.Vendor.Calls.Select(c => c.Phone).Distinct().Count());
        var unknown = (await harness.RecipientsAsync(accepted.Id)).Where(r => r.Status == RecipientStatus.Unknown).ToList();
        Assert.All(unknown, r => Assert.True(harness.Vendor.CallsTo(r.PhoneNumber) <= 1));
    }
}
