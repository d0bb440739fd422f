using Broadcast.Core.Workflow;

namespace Broadcast.Core.Templates;

/// <summary>A template's name: 1 to 100 letters, digits, '_', '-' and '.'; unique without regard to case.</summary>
public static class TemplateNames
{
    public const int MaxLength = 100;

    public static bool IsValid(string? name) =>
        name is { Length: >= 1 and <= MaxLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>The name, or a 400 naming <paramref name="field"/>.</summary>
    public static string Check(string? name, string field = "name") =>
        IsValid(name) ? name! : throw new IntakeException(field, name is null or ""
            ? "A template needs its name: 1 to 100 letters, digits, '_', '-' and '.'."
            : $"A template name is 1 to {MaxLength} letters, digits, '_', '-' and '.'.");

    /// <summary>The row key: names are unique without regard to case.</summary>
    public static string Key(string name) => name.ToLowerInvariant();
}
