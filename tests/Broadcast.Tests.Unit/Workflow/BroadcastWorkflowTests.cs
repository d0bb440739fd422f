using Broadcast.Core.Workflow;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>The workflow's story on the in-memory storage and a fake clock: fan-out, batches, fan-in, timers, cancel.</summary>
public sealed class BroadcastWorkflowTests
{
    [Fact]
    public async Task A_broadcast_of_1000_recipients_in_ten_batches_sends_each_once_and_completes_with_its_counters()
    {
        await using var harness = new WorkflowHarness();
        harness.StartInstance();
        harness.StartInstance();

        var accepted = await harness.AcceptAsync(1000);
        var done = await harness.RunAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(10, done.Definition.BatchCount);
        Assert.Equal(new Tally(Sent: 1000), done.Counters);
        Assert.Equal(0, done.Queued);
        Assert.Equal(1000, harness.Vendor.Calls.Count);
        Assert.Equal(1000, harness.Vendor.Calls.Select(c => c.Phone).Distinct().Count());
        Assert.All(await harness.RecipientsAsync(accepted.Id), r => Assert.Equal(RecipientStatus.Sent, r.Status));
    }

    [Fact]
    public async Task Duplicate_work_items_count_each_batch_once_and_send_nobody_twice()
    {
        await using var harness = new WorkflowHarness();
        harness.StartInstance();
        var accepted = await harness.AcceptAsync(300);
        var batches = harness.Storage.Queue(harness.Names.BatchQueue);
        // Every batch item twice from the start (a fan-out redone after a crash), and once more after the end.
        for (var b = 0; b < 3; b++) await batches.EnqueueAsync(new BatchWorkItem(accepted.Id, b).ToJson(), TimeSpan.Zero, default);

        var done = await harness.RunAsync(accepted.Id);
        for (var b = 0; b < 3; b++) await batches.EnqueueAsync(new BatchWorkItem(accepted.Id, b).ToJson(), TimeSpan.Zero, default);
        done = await harness.RunAsync(accepted.Id, r => harness.Storage.NextVisibleAt() is null);

        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(new Tally(Sent: 300), done.Counters);
        Assert.Equal(300, harness.Vendor.Calls.Count);
    }

    [Fact]
    public async Task A_broadcast_ten_days_ahead_rearms_its_timer_past_the_queue_limit_and_starts_on_time()
    {
        await using var harness = new WorkflowHarness();
        harness.StartInstance();
        var startAt = harness.Time.GetUtcNow() + TimeSpan.FromDays(10) + TimeSpan.FromMilliseconds(500);
        var accepted = await harness.AcceptAsync(150, startAt);

        var week = await harness.RunAsync(accepted.Id, until: harness.Time.GetUtcNow() + TimeSpan.FromDays(7));
        Assert.Equal(BroadcastStatus.Scheduled, week.Status);
        Assert.Empty(harness.Vendor.Calls);
        // The first hop woke after six days and armed the rest: the timer now points one second before started_at.
        Assert.Equal(startAt - TimeSpan.FromSeconds(1), harness.Storage.NextVisibleAt());

        var done = await harness.RunAsync(accepted.Id);
        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.InRange(done.StartedAt!.Value, startAt, startAt + TimeSpan.FromMilliseconds(100));
        Assert.True(harness.Vendor.Calls.Min(c => c.At) >= startAt);
    }

    [Fact]
    public async Task A_cancel_stops_new_sends_at_once_and_ends_canceled_with_every_recipient_accounted_for()
    {
        await using var harness = new WorkflowHarness();
        var instance = harness.StartInstance();
        harness.Vendor.Options.RatePerSecond = 50; // 1,000 recipients take 20 s: time to cancel in the middle
        var accepted = await harness.AcceptAsync(1000);

        await harness.RunAsync(accepted.Id, r => r.Counters.Sent >= 200);
        var (result, canceling) = await instance.Workflow.CancelAsync(accepted.Id, default);
        Assert.Equal(BroadcastWorkflow.CancelResult.Canceling, result);
        var done = await harness.RunAsync(accepted.Id);

        Assert.Equal(BroadcastStatus.Canceled, done.Status);
        Assert.Equal(1000, done.Counters.Sent + done.Counters.Canceled);
        Assert.InRange(done.Counters.Canceled, 1, 800);
        Assert.Equal(done.Counters.Sent, harness.Vendor.Calls.Count);
        Assert.DoesNotContain(harness.Vendor.Calls, c => c.At > canceling!.CanceledAt);
    }

    [Fact]
    public async Task Recipients_over_the_messaging_limit_wait_for_the_window_and_the_broadcast_resumes_by_itself()
    {
        await using var harness = new WorkflowHarness();
        harness.StartInstance();
        harness.Vendor.Options.DailyRecipientLimit = 250;
        var accepted = await harness.AcceptAsync(300);

        var waiting = await harness.RunAsync(accepted.Id, r => r.Status == BroadcastStatus.Waiting);
        Assert.NotNull(waiting.ResumesAt);
        Assert.Equal(250, harness.Vendor.Calls.Count);
        var firstSend = harness.Vendor.Calls.Min(c => c.At);
        // The window is kept in one-minute slices: it moves past the first sends within a minute of a day later.
        Assert.InRange(waiting.ResumesAt!.Value, firstSend + TimeSpan.FromDays(1), firstSend + TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var done = await harness.RunAsync(accepted.Id);
        Assert.Equal(BroadcastStatus.Completed, done.Status);
        Assert.Equal(new Tally(Sent: 300), done.Counters);
        Assert.Equal(50, harness.Vendor.Calls.Count(c => c.At >= waiting.ResumesAt));
    }
}
