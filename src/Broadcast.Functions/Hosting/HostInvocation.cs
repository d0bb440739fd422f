using System.Globalization;
using System.Text.Json;

namespace Broadcast.Functions.Hosting;

/// <summary>What the Functions host posts to <c>/{FunctionName}</c>: <c>Data</c> (trigger and input values by binding
/// name) and <c>Metadata</c> (the trigger's metadata, e.g. <c>DequeueCount</c>, <c>Id</c>, <c>name</c>, <c>Uri</c>).
/// The host serialises string values with Json.NET first, so a value can arrive as <c>"1"</c> or <c>"\"abc\""</c>:
/// every accessor here takes both forms.</summary>
public sealed class HostInvocation
{
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private HostInvocation(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    public static HostInvocation Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !TryGet(body, "Data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new InvalidInvocationException("the invocation has no 'Data' object");
        var metadata = TryGet(body, "Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        return new HostInvocation(data.Clone(), metadata.ValueKind == JsonValueKind.Undefined ? default : metadata.Clone());
    }

    /// <summary>A queue message's text. The host passes a message as a (possibly JSON-encoded) string, or, when it
    /// parsed the message as JSON, as that object.</summary>
    public string MessageText(string binding)
    {
        if (!TryGet(_data, binding, out var value)) throw new InvalidInvocationException($"'Data.{binding}' is missing");
        return value.ValueKind switch
        {
            JsonValueKind.String => Unquote(value.GetString()!),
            JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
            _ => throw new InvalidInvocationException($"'Data.{binding}' is neither a string nor JSON"),
        };
    }

    public string? MetadataString(string name)
    {
        if (_metadata.ValueKind != JsonValueKind.Object || !TryGet(_metadata, name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => Unquote(value.GetString()!),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
    }

    public int? MetadataInt(string name) =>
        int.TryParse(MetadataString(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>"\"abc\"" (a Json.NET-serialised string) → "abc"; anything else unchanged.</summary>
    private static string Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"') return text;
        try
        {
            return JsonSerializer.Deserialize<string>(text) ?? text;
        }
        catch (JsonException)
        {
            return text;
        }
    }

    // Property names are matched case-insensitively: the host's payload is Pascal case, metadata keys follow the trigger.
    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty(name, out value)) return true;
            foreach (var p in element.EnumerateObject())
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = p.Value;
                    return true;
                }
        }
        value = default;
        return false;
    }
}
