namespace Broadcast.Core.Storage;

public static class WorkflowQueues
{
    public const string Start = "broadcast-start";
    public const string Batches = "broadcast-batches";
}
