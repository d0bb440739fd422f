namespace Broadcast.Core.Pacing;

/// <summary>A send's turn at a number: <see cref="Wait"/> is zero when it may go now.</summary>
public sealed record RecipientTurn(TimeSpan Wait, string Partition = "", string Row = "", string ETag = "");
