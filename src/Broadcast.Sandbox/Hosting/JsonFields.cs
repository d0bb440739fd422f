using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Broadcast.Sandbox.Hosting;

/// <summary>Strict readers for JSON fields: the JSON type must match, no coercion from strings.</summary>
internal static partial class JsonFields
{
    /// <summary>The property when present and not null (optional fields sent as null count as absent).</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public static bool Has(JsonElement obj, string name) => TryGet(obj, name, out _);

    public static bool TryString(JsonElement obj, string name, out string value)
    {
        value = "";
        if (!TryGet(obj, name, out var element) || element.ValueKind != JsonValueKind.String)
            return false;
        value = element.GetString()!;
        return true;
    }

    public static bool TryNonEmptyString(JsonElement obj, string name, out string value) =>
        TryString(obj, name, out value) && !string.IsNullOrWhiteSpace(value);

    public static bool TryInteger(JsonElement obj, string name, out long value)
    {
        value = 0;
        return TryGet(obj, name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    public static bool TryBoolean(JsonElement obj, string name, out bool value)
    {
        value = false;
        if (!TryGet(obj, name, out var element) || element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return false;
        value = element.GetBoolean();
        return true;
    }

    /// <summary>Positive integer written as plain digits (multipart form fields).</summary>
    public static bool TryPositiveIntegerText(string? text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    /// <summary>ISO 8601 date and time, optionally with fraction and a <c>Z</c> or <c>±hh:mm</c> offset (UTC assumed without one).</summary>
    public static bool TryIso8601(string text, out DateTimeOffset value)
    {
        value = default;
        return Iso8601().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
