using System.Text.Json;
using System.Text.Json.Nodes;

namespace Broadcast.Tests.Contract.OpenApi;

/// <summary>Checks a JSON value against a schema of the API's OpenAPI 3.1 document, as strictly as a generated client
/// would read it: types (with null), enums, required properties, oneOf, items, and no property the schema does not
/// declare (the API ignores unknown fields, so an undeclared one in an example is a mistake).</summary>
public sealed class SchemaCheck(JsonObject document)
{
    public JsonObject Schema(string name) =>
        document["components"]!["schemas"]![name]?.AsObject() ?? throw new InvalidOperationException($"No schema {name}.");

    public IReadOnlyList<string> Errors(JsonNode? value, string schemaName)
    {
        var errors = new List<string>();
        Check(value, Schema(schemaName), "$", errors);
        return errors;
    }

    private JsonObject Resolve(JsonObject schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? Resolve(Schema(reference["#/components/schemas/".Length..]))
            : schema;

    private void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        schema = Resolve(schema);
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var matches = oneOf.Count(s => { var e = new List<string>(); Check(value, s!.AsObject(), path, e); return e.Count == 0; });
            if (matches != 1) errors.Add($"{path}: matches {matches} of oneOf {oneOf.ToJsonString()}");
            return;
        }
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            var actual = TypeOf(value);
            if (!allowed.Contains(actual) && !(actual == "integer" && allowed.Contains("number")))
            {
                errors.Add($"{path}: is {actual}, the schema says {string.Join("|", allowed)}");
                return;
            }
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
            errors.Add($"{path}: {value?.ToJsonString() ?? "null"} is not one of {values.ToJsonString()}");

        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"]?.AsObject();
                foreach (var required in schema["required"]?.AsArray() ?? [])
                    if (!obj.ContainsKey(required!.GetValue<string>())) errors.Add($"{path}: lacks required '{required}'");
                foreach (var (name, item) in obj)
                {
                    if (properties?[name] is JsonObject property) Check(item, property, $"{path}.{name}", errors);
                    else if (schema["additionalProperties"] is JsonObject additional) Check(item, additional, $"{path}.{name}", errors);
                    else if (properties is not null && schema["additionalProperties"] is null) errors.Add($"{path}: '{name}' is not in the schema");
                }
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++) Check(array[i], items, $"{path}[{i}]", errors);
                break;
        }
    }

    private static string TypeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value.GetValue<JsonElement>().TryGetInt64(out _) ? "integer" : "number",
        _ => "unknown",
    };
}
