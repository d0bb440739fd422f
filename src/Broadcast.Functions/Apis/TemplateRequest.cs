using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broadcast.Functions.Apis;

/// <summary>A send's <c>template</c>: the vendor's own fields (the object form), or, given as a string, the name of a
/// registered template (<see cref="Registered"/>), resolved to the variant of the provider that sends it.</summary>
public sealed record TemplateRequest(
    string? Name,
    JsonElement? Id,
    string? Namespace,
    string? Language,
    JsonElement? Variables,
    IReadOnlyList<ButtonRequest?>? Buttons)
{
    /// <summary>The registered template's name when the request gave <c>"template": "invoice_update"</c>.</summary>
    [JsonIgnore]
    public string? Registered { get; init; }

    public static TemplateRequest ByName(string name) => new(null, null, null, null, null, null) { Registered = name };
}

/// <summary>Reads <c>template</c> as a string (a registered template's name) or an object (the vendor's fields), and
/// writes it back the same way (the request's fingerprint).</summary>
public sealed class TemplateOrNameConverter : JsonConverter<TemplateRequest>
{
    /// <summary>The top-level property this converter reads (both request bodies call it <c>template</c>).</summary>
    private const string Property = "$.template";

    public override TemplateRequest? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return TemplateRequest.ByName(reader.GetString()!);
            case JsonTokenType.StartObject:
                try
                {
                    return JsonSerializer.Deserialize<TemplateRequest>(ref reader, options);
                }
                catch (JsonException e) when (e.Path is { } path && path.StartsWith('$'))
                {
                    // The inner read's path starts at the template object: name the field from the body's root.
                    throw new JsonException(e.Message, Property + path[1..], e.LineNumber, e.BytePositionInLine, e);
                }
            default:
                throw new JsonException("template is the name of a registered template or an object of the vendor's template fields.");
        }
    }

    public override void Write(Utf8JsonWriter writer, TemplateRequest value, JsonSerializerOptions options)
    {
        if (value.Registered is not null) writer.WriteStringValue(value.Registered);
        else JsonSerializer.Serialize(writer, value, options);
    }
}
