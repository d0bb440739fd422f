namespace Broadcast.Core.Workflow;

/// <summary>Every orchestrator and activity of the product, by the name the engines register it under (its class
/// name): the standalone engine registers exactly these, and a Functions host must have a function for each.</summary>
public static class BroadcastTasks
{
    public static readonly IReadOnlyList<Type> Orchestrators = [typeof(BroadcastOrchestration), typeof(SendBatchesOrchestration)];

    public static readonly IReadOnlyList<Type> Activities =
        [typeof(StartBroadcastActivity), typeof(SendBatchActivity), typeof(GiveUpBatchActivity), typeof(CancelBatchesActivity), typeof(FinishBroadcastActivity), typeof(NotifyActivity)];
}
