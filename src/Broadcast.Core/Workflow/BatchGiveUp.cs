namespace Broadcast.Core.Workflow;

/// <summary>A batch whose activity kept failing: its recipients without an outcome fail with <paramref name="Error"/>.</summary>
public sealed record BatchGiveUp(string BroadcastId, int Batch, int Tries, string Error);
