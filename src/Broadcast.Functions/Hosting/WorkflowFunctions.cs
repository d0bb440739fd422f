using Broadcast.Core.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Broadcast.Functions.Hosting;

/// <summary>Under the Functions host, the Durable extension runs the product's orchestrators and activities
/// (<see cref="BroadcastTasks"/>, the very classes the standalone engine runs) through these functions, one per
/// task, named as the engine registers it. The publish contract test fails when one is missing.</summary>
public sealed class WorkflowFunctions(DurableClientSource clients)
{
    [Function(nameof(BroadcastOrchestration))]
    public static Task<Tally> BroadcastOrchestration([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new BroadcastOrchestration().RunAsync(context, context.GetInput<BroadcastRun>()!);

    [Function(nameof(SendBatchesOrchestration))]
    public static Task<Tally> SendBatchesOrchestration([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SendBatchesOrchestration().RunAsync(context, context.GetInput<BatchRange>()!);

    [Function(nameof(StartBroadcastActivity))]
    public Task<string> StartBroadcastActivity([ActivityTrigger] string broadcastId, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        Run<StartBroadcastActivity, string, string>(broadcastId, client, function);

    [Function(nameof(SendBatchActivity))]
    public Task<BatchOutcome> SendBatchActivity([ActivityTrigger] BatchRef batch, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        Run<SendBatchActivity, BatchRef, BatchOutcome>(batch, client, function);

    [Function(nameof(GiveUpBatchActivity))]
    public Task<Tally> GiveUpBatchActivity([ActivityTrigger] BatchGiveUp giveUp, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        Run<GiveUpBatchActivity, BatchGiveUp, Tally>(giveUp, client, function);

    [Function(nameof(CancelBatchesActivity))]
    public Task<Tally> CancelBatchesActivity([ActivityTrigger] BatchRange range, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        Run<CancelBatchesActivity, BatchRange, Tally>(range, client, function);

    [Function(nameof(FinishBroadcastActivity))]
    public Task<string?> FinishBroadcastActivity([ActivityTrigger] BroadcastFinish finish, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        Run<FinishBroadcastActivity, BroadcastFinish, string?>(finish, client, function);

    [Function(nameof(NotifyActivity))]
    public Task<string> NotifyActivity([ActivityTrigger] string broadcastId, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        Run<NotifyActivity, string, string>(broadcastId, client, function);

    /// <summary>The activity built from the invocation's services, as the standalone engine builds it from the app's.</summary>
    private Task<TOut> Run<TActivity, TIn, TOut>(TIn input, DurableTaskClient client, FunctionContext function) where TActivity : TaskActivity<TIn, TOut>
    {
        clients.Offer(client);
        var activity = ActivatorUtilities.CreateInstance<TActivity>(function.InstanceServices);
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, function), input);
    }

    private sealed class FunctionActivityContext(string name, FunctionContext function) : TaskActivityContext
    {
        public override TaskName Name => name;

        public override string InstanceId =>
            function.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
    }
}
