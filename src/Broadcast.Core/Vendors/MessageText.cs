using System.Text;
using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors;

/// <summary>Per-recipient variables in the shapes vendors take them.</summary>
public static class MessageText
{
    /// <summary>Fills <c>{variable}</c> (by name) and <c>{{n}}</c> (by position, from 1) in a text with the
    /// recipient's own values; <c>{name}</c> falls back to the recipient's name.</summary>
    public static string Render(string text, Recipient recipient, IReadOnlyList<string> names)
    {
        if (text.IndexOf('{') < 0) return text;
        var sb = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{')
            {
                var positional = i + 1 < text.Length && text[i + 1] == '{';
                var close = text.IndexOf(positional ? "}}" : "}", i + 1, StringComparison.Ordinal);
                if (close > 0)
                {
                    var key = text[(i + (positional ? 2 : 1))..close].Trim();
                    var value = positional ? Positional(key, recipient) : Named(key, recipient, names);
                    if (value is not null)
                    {
                        sb.Append(value);
                        i = close + (positional ? 2 : 1);
                        continue;
                    }
                }
            }
            sb.Append(text[i]);
            i++;
        }
        return sb.ToString();
    }

    private static string? Positional(string key, Recipient r) =>
        int.TryParse(key, out var n) && n >= 1 && n <= r.Variables.Count ? r.Variables[n - 1] : null;

    private static string? Named(string key, Recipient r, IReadOnlyList<string> names)
    {
        for (var i = 0; i < names.Count && i < r.Variables.Count; i++)
            if (string.Equals(Bare(names[i]), key, StringComparison.OrdinalIgnoreCase)) return r.Variables[i];
        return string.Equals(key, "name", StringComparison.OrdinalIgnoreCase) ? r.Name : null;
    }

    /// <summary>Omnichat's keys: "{business_name}".</summary>
    public static string Braced(string name) => name.StartsWith('{') ? name : "{" + name + "}";

    /// <summary>Khoros profile keys: "business_name".</summary>
    public static string Bare(string name) => name.Trim().TrimStart('{').TrimEnd('}');

    public static IEnumerable<(string Name, string Value)> Pairs(Recipient r, IReadOnlyList<string> names)
    {
        for (var i = 0; i < r.Variables.Count; i++)
            yield return (i < names.Count ? names[i] : (i + 1).ToString(), r.Variables[i]);
    }

    /// <summary>The recipient's variables by name, each name as <paramref name="spell"/> writes it for the vendor.</summary>
    public static Dictionary<string, string> Named(Recipient r, IReadOnlyList<string> names, Func<string, string> spell)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Pairs(r, names)) named[spell(name)] = value;
        return named;
    }
}
