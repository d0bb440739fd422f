namespace Broadcast.Core.Workflow;

/// <summary>Batches [<paramref name="From"/>, <paramref name="To"/>) of a broadcast: what one instance of
/// <see cref="SendBatchesOrchestration"/> sends. A leaf waiting for the messaging limit starts over (ContinueAsNew)
/// with the batches it still <paramref name="Holds"/> and the tally of the others <paramref name="SoFar"/>.</summary>
public sealed record BatchRange(string BroadcastId, int From, int To, TimeSpan RetryDelay, Tally? SoFar = null, int[]? Holds = null, bool Canceled = false)
{
    public int Count => To - From;
}
