namespace Broadcast.Functions.Http;

/// <summary>Settings section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    /// <summary>Comma-separated keys accepted in header <c>x-functions-key</c> or query <c>code</c>.</summary>
    public string? Keys { get; set; }

    public IReadOnlyList<string> KeyList =>
        (Keys ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
