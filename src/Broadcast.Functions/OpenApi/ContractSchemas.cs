using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Broadcast.Core.Messaging;
using Broadcast.Functions.Apis;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broadcast.Functions.OpenApi;

/// <summary>Schemas as the API behaves and as a generated client should call it. An answer writes every property
/// (<c>DefaultIgnoreCondition.Never</c>) but those marked to be left out when null, writes numbers as numbers, and may
/// gain properties (so it allows more); a request may leave out or null any field but those it cannot do without, and
/// has no field but its own (<c>additionalProperties: false</c>: any other is a 400). Numbers are integers on both
/// sides: that the API also reads "534" for 534 (<c>JsonSerializerDefaults.Web</c>) is leniency, not contract.</summary>
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
        [typeof(WindowRequest)] = ["from", "to"],
        [typeof(ResendBroadcastRequest)] = [],
        [typeof(SuppressionsApi.AddSuppressionRequest)] = ["phone_number"],
        [typeof(TemplatesApi.TemplateBody)] = ["variants"],
        [typeof(TemplatesApi.TemplateVariantRequest)] = [],
        [typeof(TemplatesApi.PreviewRequest)] = [],
    };

    /// <summary>Request fields that are strings in C# (so a wrong value gets our own 400 naming it) but take the words
    /// of an enum the answers use: the document refers them to its schema (<see cref="ContractDocument"/>), so a
    /// generated client has one enum for both.</summary>
    public static readonly IReadOnlyDictionary<string, Type> RequestWords = new Dictionary<string, Type>
    {
        ["provider"] = typeof(Provider),
        ["delivery"] = typeof(DeliveryGuarantee),
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonTypeInfo.Type.IsEnum)
            schema.Type = JsonSchemaType.String; // written by name (JsonStringEnumConverter), never by number
        NumbersAreNumbers(schema);
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
            schema.AdditionalPropertiesAllowed = true;
            return;
        }
        schema.AdditionalPropertiesAllowed = false;
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

    private static void NumbersAreNumbers(OpenApiSchema schema)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String; // a number is a number, never a string
            schema.Pattern = null;
        }
    }
}
