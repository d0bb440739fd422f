namespace Broadcast.Functions.Drops;

/// <summary>What became of one dropped blob.</summary>
/// <param name="Outcome">started | already_started | invalid | waiting | ignored</param>
public sealed record DropResult(string Outcome, string? UploadId = null, string? BroadcastId = null, string? Detail = null);
