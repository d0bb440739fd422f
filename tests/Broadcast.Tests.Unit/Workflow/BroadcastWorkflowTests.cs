using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;
using Broadcast.Core.Workflow;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>The workflow's story on the in-memory storage and a fake clock: fan-out, batches, fan-in, timers.</summary>
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
}
