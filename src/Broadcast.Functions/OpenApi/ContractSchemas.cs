using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Broadcast.Core.Messaging;
using Broadcast.Functions.Apis;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broadcast.Functions.OpenApi;

/// <summary>Schemas as the API really behaves. An answer writes every property (<c>DefaultIgnoreCondition.Never</c>)
/// but those marked to be left out when null, and writes numbers as numbers; a request may leave out or null any
/// field but those it cannot do without, and may send a number as a string (<c>JsonSerializerDefaults.Web</c>).</summary>
internal sealed class ContractSchemas : IOpenApiSchemaTransformer
{
    /// <summary>The request bodies, and the fields each is refused without (a 400 naming the field).</summary>
    public static readonly IReadOnlyDictionary<Type, string[]> RequestFields = new Dictionary<Type, string[]>
    {
        [typeof(SendMessageRequest)] = ["provider", "to"],
        [typeof(CreateBroadcastRequest)] = ["provider"],
        [typeof(InlineRecipient)] = ["to"],
        [typeof(TemplateRequest)] = [],
        [typeof(ButtonRequest)] = ["type", "values"],
        [typeof(ChannelRequest)] = [],
        [typeof(SuppressionsApi.AddSuppressionRequest)] = ["phone_number"],
    };

    /// <summary>Request fields that are strings in C# (so a wrong value gets our own 400 naming it) but take one of a
    /// few words.</summary>
    private static readonly Dictionary<string, string[]> RequestWords = new()
    {
        ["provider"] = Providers.Names.ToArray(),
        ["delivery"] = ["at_least_once", "at_most_once"],
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type.IsEnum)
            schema.Type = JsonSchemaType.String; // written by name (JsonStringEnumConverter), never by number
        if (context.JsonPropertyInfo is { } property)
            TransformProperty(schema, property);
        // An object's own schema: on its own, or where a property holds it (then both run).
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
            MarkRequired(schema, context.JsonTypeInfo);
        return Task.CompletedTask;
    }

    private static void MarkRequired(OpenApiSchema schema, JsonTypeInfo type)
    {
        if (!RequestFields.TryGetValue(type.Type, out var required))
        {
            schema.Required = new HashSet<string>(type.Properties.Where(p => !LeftOutWhenNull(p)).Select(p => p.Name));
            return;
        }
        schema.Required = new HashSet<string>(required);
        foreach (var name in required)
            if (schema.Properties![name] is OpenApiSchema { Type: { } t } field)
            {
                field.Type = t & ~JsonSchemaType.Null; // refused when null
                field.Enum = field.Enum?.Where(w => w is not null).ToList();
            }
    }

    private static bool LeftOutWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.WhenWritingNull) == true;

    private static void TransformProperty(OpenApiSchema schema, JsonPropertyInfo property)
    {
        var inRequest = property.DeclaringType is { } declaring && RequestFields.ContainsKey(declaring);
        if (!inRequest && schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String; // answers write numbers, never strings
            schema.Pattern = null;
        }
        if (inRequest && RequestWords.TryGetValue(property.Name, out var words))
            schema.Enum = [.. words.Select(w => (JsonNode)JsonValue.Create(w)), .. schema.Type?.HasFlag(JsonSchemaType.Null) == true ? [null!] : Array.Empty<JsonNode>()];
    }
}
