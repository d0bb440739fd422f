namespace Broadcast.Core.Suppressions;

public sealed record Suppression(string PhoneNumber, string? Reason, string Source, DateTimeOffset CreatedAt);
