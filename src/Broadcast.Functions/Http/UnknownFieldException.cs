namespace Broadcast.Functions.Http;

/// <summary>A name the API does not know: a JSON field (<c>recipients[3].nmae</c>), a query parameter or a form
/// field. Answered 400 naming it by its path, with the known name it is closest to (<c>did_you_mean</c>), before
/// anything is stored or sent: a misspelt <c>started_at</c> ignored would send at once.</summary>
public sealed class UnknownFieldException : Exception
{
    public UnknownFieldException(string kind, string? parent, string name, IReadOnlyCollection<string> known)
        : base(Describe(kind, Join(parent, name), Suggest(parent, name, known), parent, known))
    {
        Field = Join(parent, name);
        DidYouMean = Suggest(parent, name, known);
    }

    /// <summary>The unknown name with its path: <c>start_at</c>, <c>template.buttons[0].valuez</c>, <c>lmit</c>.</summary>
    public string Field { get; }

    /// <summary>The known name (with the same path) it is probably meant to be; null when none is close.</summary>
    public string? DidYouMean { get; }

    private static string Join(string? parent, string name) => string.IsNullOrEmpty(parent) ? name : $"{parent}.{name}";

    private static string? Suggest(string? parent, string name, IReadOnlyCollection<string> known) =>
        NameSuggestion.Closest(name, known) is { } close ? Join(parent, close) : null;

    private static string Describe(string kind, string field, string? didYouMean, string? parent, IReadOnlyCollection<string> known)
    {
        if (didYouMean is not null) return $"Unknown {kind} '{field}': did you mean '{didYouMean}'?";
        if (known.Count == 0) return $"Unknown {kind} '{field}': this call takes none.";
        var where = string.IsNullOrEmpty(parent) ? "" : $" of '{parent}'";
        return $"Unknown {kind} '{field}'. The {kind}s{where} are: {string.Join(", ", known)}.";
    }
}
