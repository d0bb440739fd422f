namespace Broadcast.Functions.Http;

/// <summary>The known name an unknown one was probably meant to be (<c>start_at</c> → <c>started_at</c>,
/// <c>nmae</c> → <c>name</c>, <c>startedAt</c> → <c>started_at</c>), or none when nothing is close.</summary>
public static class NameSuggestion
{
    /// <summary>Names are compared in lower case without <c>_</c> and <c>-</c>, so the camelCase or kebab-case
    /// spelling of a snake_case name is distance 0.</summary>
    public static string? Closest(string unknown, IEnumerable<string> known)
    {
        var typed = Normalize(unknown);
        if (typed.Length == 0) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var distance = Distance(typed, Normalize(name));
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }
        return bestDistance <= Tolerance(typed.Length) ? best : null;
    }

    /// <summary>One edit per three characters typed (at least one, at most three): <c>start_at</c> (2 edits from
    /// started_at) and <c>nmae</c> (1 from name) are caught, while short unrelated names (<c>id</c> for <c>to</c>) are not
    /// offered as each other's.</summary>
    private static int Tolerance(int length) => Math.Clamp(length / 3, 1, 3);

    private static string Normalize(string name) =>
        string.Concat(name.Where(c => c is not ('_' or '-')).Select(char.ToLowerInvariant));

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours
    /// (the commonest typing slip) each count one.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
