using System.Text.Json;

namespace Broadcast.Core.Uploads;

/// <summary>The template the rows are for: how many positional variables it takes, or the names of its named ones
/// (without braces: <c>{name}</c> and <c>name</c> are the same variable).</summary>
public sealed record TemplateHint(int? VariableCount, IReadOnlyList<string>? VariableNames)
{
    public const int MaxVariables = 100;

    /// <summary>A number ("2"), a comma-separated list of names ("{business_name},{name}"), a JSON array of names,
    /// or a JSON object <c>{"variables": 2}</c> / <c>{"variables": ["business_name", "name"]}</c>.</summary>
    public static TemplateHint Parse(string text)
    {
        text = text.Trim();
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
            return count <= MaxVariables ? new TemplateHint(count, null) : throw Bad($"{count} variables is more than any template takes ({MaxVariables}).");
        if (text.StartsWith('[') || text.StartsWith('{') && text.Contains(':'))
            return FromJson(text);
        return FromNames(text.Split(','));
    }

    private static TemplateHint FromJson(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var value = doc.RootElement;
            if (value.ValueKind == JsonValueKind.Object && !value.TryGetProperty("variables", out value))
                throw Bad("The template hint object needs 'variables': a count or a list of names.");
            return value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt32(out var n) && n is >= 0 and <= MaxVariables => new TemplateHint(n, null),
                JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                    FromNames(value.EnumerateArray().Select(v => v.GetString()!)),
                _ => throw Bad("The template hint's variables must be a count or a list of names."),
            };
        }
        catch (JsonException)
        {
            throw Bad("The template hint is not valid JSON: send a count, names separated by commas, or a JSON array of names.");
        }
    }

    private static TemplateHint FromNames(IEnumerable<string> raw)
    {
        var names = new List<string>();
        foreach (var item in raw)
        {
            var name = BareName(item);
            if (name.Length == 0) throw Bad("The template hint has an empty variable name.");
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase)) throw Bad($"The template hint names '{name}' twice.");
            names.Add(name);
        }
        return names.Count <= MaxVariables ? new TemplateHint(null, names) : throw Bad($"The template hint names more than {MaxVariables} variables.");
    }

    /// <summary>" {business_name} " → "business_name".</summary>
    public static string BareName(string name)
    {
        name = name.Trim();
        if (name.Length >= 2 && name[0] == '{' && name[^1] == '}') name = name[1..^1].Trim();
        return name;
    }

    private static UploadRejectedException Bad(string detail) => UploadRejectedException.BadField("template", detail);
}
