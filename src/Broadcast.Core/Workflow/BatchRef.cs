namespace Broadcast.Core.Workflow;

/// <summary>One batch of a broadcast: the input of <see cref="SendBatchActivity"/>.</summary>
public sealed record BatchRef(string BroadcastId, int Batch);
