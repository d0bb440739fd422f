namespace Broadcast.Core.Workflow;

/// <summary>The fan-in's result: every recipient's final outcome, counted.</summary>
public sealed record BroadcastFinish(string BroadcastId, Tally Tally);
