using Broadcast.Core.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>The broadcast's orchestration on the in-memory task hub: fan-out and fan-in, duplicates, timers, cancel,
/// the messaging limit, history bounds.</summary>
public sealed class BroadcastWorkflowTests
{
    [Fact]
    public async Task A_broadcast_of_1000_recipients_in_ten_batches_sends_each_once_and_completes_with_its_counters()
    {
        await using var harness = new DurableHarness();
        await harness.StartInstanceAsync();
        await harness.StartInstanceAsync();

        var accepted = await harness.AcceptAsync(1000);
        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(10, done.Definition.BatchCount);
        Assert.Equal(new Tally(Sent: 1000), done.Counters);
        Assert.Equal(0, done.Queued);
        Assert.Equal(1000, harness.Vendor.Calls.Count);
        Assert.Equal(1000, harness.Vendor.Calls.Select(c => c.Phone).Distinct().Count());
        Assert.All(await harness.RecipientsAsync(accepted.Id), r => Assert.Equal(RecipientStatus.Sent, r.Status));
        Assert.True(await harness.CompletedAsync(accepted.Id)); // instance id = broadcast id
    }

    [Fact]
    public async Task A_batch_activity_run_again_sends_nobody_twice_and_counts_its_batch_once()
    {
        await using var harness = new DurableHarness();
        var instance = await harness.StartInstanceAsync();
        var accepted = await harness.AcceptAsync(300);
        var done = await harness.WaitAsync(accepted.Id);

        // Each batch's activity delivered again, on two instances at once (its worker was thought lost).
        var other = await harness.StartInstanceAsync();
        var again = await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(b => new[] { instance, other }.Select(i =>
            i.Services.GetRequiredService<BatchSending>().SendBatchAsync(done, b, default))));

        Assert.All(again, o => Assert.True(o.Done));
        var perBatch = again.Chunk(2).ToList(); // batch 0 on both instances, then batch 1, then 2
        Assert.All(perBatch, pair => Assert.Equal(pair[0].Tally, pair[1].Tally));
        Assert.Equal(new Tally(Sent: 300), perBatch.Aggregate(Tally.None, (sum, pair) => sum + pair[0].Tally));
        Assert.Equal(new Tally(Sent: 300), (await harness.GetAsync(accepted.Id))!.Counters);
        Assert.Equal(300, harness.Vendor.Calls.Count);
    }

    [Fact]
    public async Task A_broadcast_ten_timer_intervals_ahead_waits_out_a_chain_of_timers_and_starts_on_time()
    {
        // The app's 10 days against its 3-day MaximumTimerInterval, scaled to seconds.
        await using var harness = new DurableHarness(maximumTimerInterval: TimeSpan.FromSeconds(0.3));
        await harness.StartInstanceAsync();
        var startAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        var accepted = await harness.AcceptAsync(150, startAt);

        Assert.Equal(BroadcastStatus.Scheduled, (await harness.GetAsync(accepted.Id))!.Status);
        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.InRange(done.StartedAt!.Value, startAt, startAt + TimeSpan.FromSeconds(1));
        Assert.True(harness.Vendor.Calls.Min(c => c.At) >= startAt);
        Assert.InRange(harness.Backend.TimersCreated[accepted.Id], 3, 5); // one wait of 1 s, in hops of 0.3 s
    }

    [Fact]
    public async Task A_cancel_stops_new_sends_at_once_and_ends_canceled_with_every_recipient_accounted_for()
    {
        await using var harness = new DurableHarness();
        var instance = await harness.StartInstanceAsync();
        harness.Vendor.Options.RatePerSecond = 200; // 1,000 recipients take 5 s: time to cancel in the middle
        var accepted = await harness.AcceptAsync(1000);

        await harness.WaitAsync(accepted.Id, r => r.Counters.Sent >= 200);
        var (result, canceling) = await instance.Workflow.CancelAsync(accepted.Id, default);
        Assert.Equal(BroadcastWorkflow.CancelResult.Canceling, result);
        var done = await harness.WaitAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Canceled, done.Status);
        Assert.Equal(1000, done.Counters.Sent + done.Counters.Canceled);
        Assert.InRange(done.Counters.Canceled, 1, 800);
        Assert.Equal(done.Counters.Sent, harness.Vendor.Calls.Count);
        // Sends that had passed their cancel check when the cancel was stamped still reach the vendor (at most one per
        // concurrent call slot, moments later); nothing starts afterwards.
        var late = harness.Vendor.Calls.Where(c => c.At > canceling!.CanceledAt).ToList();
        Assert.InRange(late.Count, 0, harness.Vendor.Options.MaxConcurrency);
        Assert.All(late, c => Assert.True(c.At - canceling!.CanceledAt < TimeSpan.FromSeconds(1), $"a send {c.At - canceling.CanceledAt} after the cancel"));
        var log = await harness.RecipientsAsync(accepted.Id);
        Assert.Equal(done.Counters.Canceled, log.Count(r => r.Status == RecipientStatus.Canceled));
    }

    [Fact]
    public async Task A_scheduled_broadcast_canceled_before_its_time_ends_at_once_and_sends_nothing()
    {
        await using var harness = new DurableHarness();
        var instance = await harness.StartInstanceAsync();
        var accepted = await harness.AcceptAsync(250, DateTimeOffset.UtcNow + TimeSpan.FromHours(1));

        var (_, canceled) = await instance.Workflow.CancelAsync(accepted.Id, default);
        Assert.Equal(BroadcastStatus.Canceled, canceled!.Status);
        var done = await harness.WaitAsync(accepted.Id); // its orchestration ends too, without waiting an hour

        Assert.Equal(new Tally(Canceled: 250), done.Counters);
        Assert.Empty(harness.Vendor.Calls);
    }

    [Fact]
    public async Task Recipients_over_the_messaging_limit_wait_for_the_window_and_the_broadcast_resumes_by_itself()
    {
        await using var harness = new DurableHarness();
        await harness.StartInstanceAsync();
        harness.Vendor.Options.DailyRecipientLimit = 250;
        harness.Vendor.Options.DailyRecipientWindow = TimeSpan.FromSeconds(3); // a day, scaled
        var accepted = await harness.AcceptAsync(300);

        var waiting = await harness.WaitAsync(accepted.Id, r => r.Status == BroadcastStatus.Waiting);
        Assert.NotNull(waiting.ResumesAt);
        Assert.Equal(250, harness.Vendor.Calls.Count);
        var firstSend = harness.Vendor.Calls.Min(c => c.At);
        // The window is kept in 1,440 slices (2 ms of 3 s): it moves past the first sends within a slice of 3 s later.
        // The limit counts a send just before its call, the fake vendor notes it on arrival: on a loaded machine that
        // gap alone can pass 50 ms, hence 250 ms early.
        Assert.InRange(waiting.ResumesAt!.Value, firstSend + TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(250), firstSend + TimeSpan.FromSeconds(3.1));

        var done = await harness.WaitAsync(accepted.Id);
        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(new Tally(Sent: 300), done.Counters);
        Assert.Equal(50, harness.Vendor.Calls.Count(c => c.At >= waiting.ResumesAt));
    }

    [Fact]
    public async Task No_instance_history_grows_past_its_bound_and_a_million_recipients_make_a_tree_two_levels_deep()
    {
        // 120 batches: a root of three leaves (50, 50, 20).
        await using var harness = new DurableHarness(workflow: o => o.BatchSize = 100);
        await harness.StartInstanceAsync();
        var accepted = await harness.AcceptLargeAsync(12_000);
        var done = await harness.WaitAsync(accepted.Id);
        Assert.Equal(new Tally(Sent: 12_000), done.Counters);

        var histories = harness.Backend.HistoryLengths.Where(h => h.Key.StartsWith(accepted.Id, StringComparison.Ordinal)).ToList();
        Assert.Equal(5, histories.Count); // the broadcast, its root range, three leaves
        Assert.All(histories, h => Assert.True(h.Value <= SendBatchesOrchestration.MaxHistoryEvents, $"{h.Key}: {h.Value} events"));

        // A million in batches of 500: 2,000 batches, 40 leaves under one root.
        var root = new BatchRange("b", 0, 2000, TimeSpan.Zero);
        var leaves = SendBatchesOrchestration.Split(root);
        Assert.Equal(40, leaves.Count);
        Assert.All(leaves, l => Assert.True(l.Count <= SendBatchesOrchestration.LeafBatches));
        Assert.True(leaves.Count <= SendBatchesOrchestration.FanOut);
        // The biggest broadcast the batch numbers allow still splits into at most FanOut ranges per level.
        Assert.True(SendBatchesOrchestration.Split(new BatchRange("b", 0, int.MaxValue, TimeSpan.Zero)).Count <= SendBatchesOrchestration.FanOut);
    }
}
