using Broadcast.Functions.Apis;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broadcast.Functions.OpenApi;

/// <summary>What the document says once for every operation: the API key (header <c>x-functions-key</c> or query
/// <c>code</c>), the callback secret, one problem+json shape, and the answers any call can get (401 without a key,
/// 400 for a bad field, 413/415 for a body too large or not JSON, 503 with Retry-After while storage is away).</summary>
internal sealed class ContractDocument : IOpenApiDocumentTransformer
{
    public const string HeaderKeyScheme = "functionKey";
    public const string QueryKeyScheme = "functionKeyQuery";
    public const string CallbackTokenScheme = "callbackToken";
    public const string CallbackHeaderScheme = "callbackTokenHeader";
    public const string ProblemSchema = "Problem";
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Broadcast Functions API";
        document.Info.Version = "1";
        document.Info.Description = "Send WhatsApp, SMS, RBM and Messenger messages and broadcasts through Qiscus Multichannel, Khoros Flow and Omnichat.";
        // Relative to wherever the document is served (standalone, or behind the Functions host): no host of its own.
        document.Servers = [];

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [HeaderKeyScheme] = ApiKey("x-functions-key", ParameterLocation.Header, "One of the keys in setting Api__Keys (not needed while it is empty in Development)."),
            [QueryKeyScheme] = ApiKey("code", ParameterLocation.Query, "The same key as a query parameter, as Azure Functions accepts it."),
            [CallbackTokenScheme] = ApiKey("token", ParameterLocation.Query, "The provider's callback secret (Callbacks__{Provider}__Secret)."),
            [CallbackHeaderScheme] = ApiKey("x-callback-token", ParameterLocation.Header, "The provider's callback secret, as a header."),
        };
        document.Components.Schemas[ProblemSchema] = Problem();
        document.Security = [Requirement(document, HeaderKeyScheme), Requirement(document, QueryKeyScheme)];

        ReplaceFreeFormSchemas(document);

        foreach (var (path, item) in document.Paths)
        foreach (var (method, operation) in item.Operations ?? [])
            AddCommonAnswers(document, path, method, operation);

        document.Components.Schemas.Remove("ProblemDetails");
        return Task.CompletedTask;
    }

    private static OpenApiSecurityScheme ApiKey(string name, ParameterLocation where, string description) =>
        new() { Type = SecuritySchemeType.ApiKey, Name = name, In = where, Description = description };

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static void AddCommonAnswers(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        operation.Responses ??= new OpenApiResponses();
        var isHealth = path == "/api/health";
        if (isHealth)
            operation.Security = []; // no key
        else if (path.StartsWith("/api/callbacks/", StringComparison.Ordinal))
            operation.Security = [Requirement(document, CallbackTokenScheme), Requirement(document, CallbackHeaderScheme)];
        else
            Add(operation, "401", "No valid API key.");

        var takesJson = operation.RequestBody?.Content?.ContainsKey("application/json") == true;
        if (takesJson || operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
            Add(operation, "400", "A field, query parameter or the body is wrong: `field` names it.");
        if (takesJson)
        {
            Add(operation, "413", "The body is larger than the request limit.");
            Add(operation, "415", "The body is not JSON.");
        }
        if (!isHealth)
            Add(operation, "503", "Storage is unavailable: nothing was done; retry after `Retry-After` seconds.", retryAfter: true);

        // Every problem answer has the one problem shape, with its extensions.
        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
            if (response.Content?.TryGetValue(ProblemJson, out var media) == true)
                media.Schema = new OpenApiSchemaReference(ProblemSchema, document);

        void Add(OpenApiOperation op, string status, string description, bool retryAfter = false)
        {
            if (op.Responses!.ContainsKey(status)) return;
            op.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() },
                Headers = retryAfter
                    ? new Dictionary<string, IOpenApiHeader>
                    {
                        ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                    }
                    : null,
            };
        }
    }

    /// <summary>RFC 9457 problem details as the API writes them, with the extensions that name what is wrong.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "application/problem+json (RFC 9457). `field` names the request field (or `file`, `body`); an upload's file errors give `row` (the file's line, header = 1) and `column`. Other extensions may follow (a 422 upload carries its summary).",
        Required = new HashSet<string> { "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request field that is wrong: `to`, `template.variables[1]`, `recipients[3].to`, `Idempotency-Key`, `file`, `body`." },
            ["row"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            ["column"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
        AdditionalPropertiesAllowed = true,
    };

    /// <summary>Fields the handlers read as raw JSON (so each wrong shape gets its own 400) would otherwise be
    /// empty schemas: say what they take.</summary>
    private static void ReplaceFreeFormSchemas(OpenApiDocument document)
    {
        var scalar = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean };
        OpenApiSchema Variables() => new()
        {
            Description = "Positional values (a list) or named ones (an object such as {\"{name}\": \"Budi\"}); numbers and booleans are sent as text.",
            OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.Array, Items = scalar },
                new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = scalar },
                new OpenApiSchema { Type = JsonSchemaType.Null },
            ],
        };
        var replacements = new Dictionary<(string Schema, string Property), Func<OpenApiSchema>>
        {
            [(nameof(TemplateRequest), "id")] = () => new() { Type = JsonSchemaType.String | JsonSchemaType.Integer | JsonSchemaType.Null, Description = "The vendor's template id, as text or a number." },
            [(nameof(TemplateRequest), "variables")] = Variables,
            [(nameof(InlineRecipient), "variables")] = Variables,
            [(nameof(ButtonRequest), "values")] = () => new()
            {
                Description = "The button's value, or its values (joined with commas).",
                OneOf = [new OpenApiSchema { Type = JsonSchemaType.String }, new OpenApiSchema { Type = JsonSchemaType.Array, Items = scalar }],
            },
        };

        foreach (var (name, schema) in document.Components!.Schemas!)
        {
            if (schema is not OpenApiSchema { Properties: { } properties }) continue;
            foreach (var property in properties.Keys.ToList())
            {
                if (!IsFreeForm(properties[property])) continue;
                properties[property] = replacements.TryGetValue((name, property), out var replacement) ? replacement()
                    : throw new InvalidOperationException($"{name}.{property} is free-form JSON: say what it takes in {nameof(ContractDocument)}.");
            }
        }
        document.Components.Schemas.Remove("JsonElement");
    }

    private static bool IsFreeForm(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference { Reference.Id: "JsonElement" }
        || schema.OneOf?.Any(IsFreeForm) == true;
}
