namespace Broadcast.Core.Messaging;

/// <summary>One recipient's row: the number (normalised digits, or an Omnichat group id), the name and its
/// own variables. Qiscus layouts also carry a header variable and button variables.</summary>
public sealed record Recipient(
    int Row,
    string Phone,
    string? Name,
    IReadOnlyList<string> Variables,
    string? HeaderVariable = null,
    string? ButtonType = null,
    IReadOnlyList<IReadOnlyList<string>>? ButtonVariables = null);
