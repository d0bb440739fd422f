using Broadcast.Functions.Hosting;
using System.Net;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Broadcasts;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Azure.Data.Tables;

namespace Broadcast.Tests.Hosting;

/// <summary>The queue-triggered functions under the Functions host: the host's invocation payloads posted to the app
/// in custom-handler mode, with the work items really taken off (and put back on) the app's queues in Azurite.</summary>
public sealed class QueueTriggerContractTests
{
    private static async Task<string> SendOneAsync(Stack stack, string phone = "+62 812-9064-1111")
    {
        var response = await stack.App.PostJsonAsync("api/messages", new { provider = "omnichat", to = phone, text = "Hallo!" });
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToString());
        return json.Str("id");
    }

    [Theory]
    [InlineData(MessageEncoding.Documented)]
    [InlineData(MessageEncoding.JsonNetString)]
    [InlineData(MessageEncoding.ParsedObject)]
    public async Task A_message_runs_end_to_end_through_start_and_batch_invocations(MessageEncoding encoding)
    {
        await using var stack = await Stack.StartAsync(FunctionsHostDriver.HostMode());
        using var host = new FunctionsHostDriver(stack.App);
        var id = await SendOneAsync(stack);

        var start = (await host.DeliverAsync(FunctionsHost.StartFunction, host.Names.StartQueue, encoding)).AssertShape();
        Assert.True(start.Status == HttpStatusCode.OK, start.ToString());
        var batch = (await host.DeliverAsync(FunctionsHost.BatchFunction, host.Names.BatchQueue, encoding)).AssertShape();
        Assert.True(batch.Status == HttpStatusCode.OK, batch.ToString());
        Assert.Contains(batch.Logs, l => l.StartsWith(FunctionsHost.BatchFunction));

        var state = await BroadcastHelpers.StateAsync(stack.App.Client, id);
        Assert.Equal("completed", state.Str("status"));
        Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
        Assert.Single(stack.Sandbox.State.Requests("omnichat"));
        Assert.Equal(0, await stack.App.Services.ApproximateCountAsync(host.Names.StartQueue));
        Assert.Equal(0, await stack.App.Services.ApproximateCountAsync(host.Names.BatchQueue));
    }

    [Fact]
    public async Task A_failing_step_answers_500_with_its_error_and_the_message_retried_by_the_host_succeeds()
    {
        await using var stack = await Stack.StartAsync(FunctionsHostDriver.HostMode());
        using var host = new FunctionsHostDriver(stack.App);
        var id = await SendOneAsync(stack);
        await host.DeliverAsync(FunctionsHost.StartFunction, host.Names.StartQueue);

        var batches = TableOf(stack, host.Names.BatchesTable);
        await batches.DeleteAsync();
        var first = await host.ReceiveAsync(host.Names.BatchQueue, TimeSpan.FromSeconds(1));
        var failed = (await host.InvokeAsync(FunctionsHost.BatchFunction, FunctionsHostDriver.QueuePayload(first, MessageEncoding.JsonNetString))).AssertShape();
        Assert.True(failed.Status == HttpStatusCode.InternalServerError, failed.ToString());
        Assert.Contains(failed.Logs, l => l.Contains("failed on try 1"));

        // The host leaves a failed message on the queue; it comes back with its dequeue count raised.
        await batches.CreateIfNotExistsAsync();
        var again = await host.ReceiveAsync(host.Names.BatchQueue, TimeSpan.FromMinutes(1));
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.DequeueCount);
        var retried = await host.InvokeAsync(FunctionsHost.BatchFunction, FunctionsHostDriver.QueuePayload(again, MessageEncoding.JsonNetString));
        Assert.True(retried.Status == HttpStatusCode.OK, retried.ToString());

        var state = await BroadcastHelpers.StateAsync(stack.App.Client, id);
        Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
    }

    [Fact]
    public async Task The_hosts_last_try_runs_the_workflows_own_give_up_instead_of_the_poison_queue()
    {
        await using var stack = await Stack.StartAsync(FunctionsHostDriver.HostMode());
        using var host = new FunctionsHostDriver(stack.App);
        var id = await SendOneAsync(stack);
        await host.DeliverAsync(FunctionsHost.StartFunction, host.Names.StartQueue);

        // host.json's maxDequeueCount is the workflow's MaxDequeueCount + 1: this is the host's last delivery.
        var lastTry = new WorkflowOptions().MaxDequeueCount + 1;
        var message = await host.ReceiveAsync(host.Names.BatchQueue, TimeSpan.FromMinutes(1));
        var answer = await host.InvokeAsync(FunctionsHost.BatchFunction, FunctionsHostDriver.QueuePayload(message, MessageEncoding.JsonNetString, lastTry));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());

        var state = await BroadcastHelpers.StateAsync(stack.App.Client, id);
        Assert.Equal("failed", state.GetProperty("recipient").Str("status"));
        Assert.Contains($"gave up after {lastTry - 1} tries", state.GetProperty("recipient").Str("error"));
        Assert.Empty(stack.Sandbox.State.Requests("omnichat"));
    }

    [Fact]
    public async Task A_batch_another_worker_holds_goes_back_on_its_queue_until_that_lease_ends_without_burning_a_try()
    {
        await using var stack = await Stack.StartAsync(FunctionsHostDriver.HostMode());
        using var host = new FunctionsHostDriver(stack.App);
        var id = await SendOneAsync(stack);
        await host.DeliverAsync(FunctionsHost.StartFunction, host.Names.StartQueue);

        var leaseEnds = DateTimeOffset.UtcNow.AddSeconds(3);
        var (held, _) = await stack.App.Services.GetRequiredService<BatchStore>()
            .ClaimAsync(id, 0, "another-worker", DateTimeOffset.UtcNow, leaseEnds, CancellationToken.None);
        Assert.NotNull(held);

        var busy = (await host.DeliverAsync(FunctionsHost.BatchFunction, host.Names.BatchQueue)).AssertShape();
        Assert.True(busy.Status == HttpStatusCode.OK, busy.ToString());
        Assert.Contains(busy.Logs, l => l.Contains("another worker holds this batch"));
        Assert.Empty(await host.Storage.Queue(host.Names.BatchQueue).ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));

        var back = await host.ReceiveAsync(host.Names.BatchQueue, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        Assert.True(DateTimeOffset.UtcNow >= leaseEnds, "the work item came back before the other worker's lease ended");
        Assert.Equal(1, back.DequeueCount);
        Assert.Equal(new BatchWorkItem(id, 0), BatchWorkItem.Parse(back.Content));

        var answer = await host.InvokeAsync(FunctionsHost.BatchFunction, FunctionsHostDriver.QueuePayload(back, MessageEncoding.JsonNetString));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("sent", (await BroadcastHelpers.StateAsync(stack.App.Client, id)).GetProperty("recipient").Str("status"));
    }

    [Fact]
    public async Task A_message_that_is_not_a_work_item_is_dropped_and_a_malformed_invocation_rejected()
    {
        await using var stack = await Stack.StartAsync(FunctionsHostDriver.HostMode());
        using var host = new FunctionsHostDriver(stack.App);

        var foreign = await host.InvokeAsync(FunctionsHost.StartFunction, new
        {
            Data = new Dictionary<string, object> { [FunctionsHost.WorkItemBinding] = "hello" },
            Metadata = new { DequeueCount = 1 },
        });
        Assert.True(foreign.Status == HttpStatusCode.OK, foreign.ToString());
        Assert.Contains(foreign.AssertShape().Logs, l => l.Contains("not a work item"));

        var malformed = await host.InvokeAsync(FunctionsHost.BatchFunction, new { Something = "else" });
        Assert.True(malformed.Status == HttpStatusCode.BadRequest, malformed.ToString());
        malformed.AssertShape();
    }

    private static TableClient TableOf(Stack stack, string name) =>
        stack.App.Services.GetRequiredService<TableServiceClient>().GetTableClient(name);
}
