namespace Broadcast.Core.Storage;

public sealed record TablePage(IReadOnlyList<TableRow> Rows, string? Continuation);
