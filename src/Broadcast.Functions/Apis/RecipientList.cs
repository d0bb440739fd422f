namespace Broadcast.Functions.Apis;

public sealed record RecipientList(IReadOnlyList<RecipientState> Items, string? Continuation);
