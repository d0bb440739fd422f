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
    public const string NamedVariablesSchema = "NamedVariables";
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Broadcast Functions API";
        document.Info.Version = "1";
        document.Info.Description = "Send WhatsApp, SMS, RBM and Messenger messages and broadcasts through Qiscus Multichannel, Khoros Flow and Omnichat.";
        // A generated client's default base URL is the first entry. The request's own host would be wrong behind the
        // Functions host, which forwards to the app on a loopback port; the reference page (/api/docs) sends its
        // calls to its own origin instead (ApiContract).
        document.Servers =
        [
            new OpenApiServer
            {
                Url = ApiContract.RunCommandServer,
                Description = "The run command (bash scripts/run.sh). A deployed app answers at its own host (https://<app>.azurewebsites.net): give that to the client.",
            },
        ];
        DescribeTags(document);

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
        ReferRequestWords(document);

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
        // Every call refuses an unknown query parameter, and a call with a body a wrong or unknown field.
        Add(operation, "400", "A field, query parameter or the body is wrong or unknown: `field` names it (`did_you_mean` the known name close to it).");
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
        foreach (var status in new[] { "201", "202" })
            if (operation.Responses.TryGetValue(status, out var created) && created is OpenApiResponse answer)
            {
                answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                answer.Headers["Location"] = new OpenApiHeader
                {
                    Description = "Where the created resource (the broadcast, the upload, the suppression) is read: a URL, absolute or relative to this API's.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }

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
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request field that is wrong or unknown: `to`, `template.variables[1]`, `recipients[3].nmae`, a query parameter, `Idempotency-Key`, `file`, `body`." },
            ["did_you_mean"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "For an unknown field, the known one (with the same path) its name is close to: `started_at` for `start_at`." },
            ["row"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            ["column"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
        },
        AdditionalPropertiesAllowed = true,
    };

    /// <summary>Fields the handlers read as raw JSON (so each wrong shape gets its own 400) would otherwise be
    /// empty schemas: say what they take, in shapes a generator turns into types. Values are strings: the API also
    /// takes a number or a boolean and sends it as text, but a list whose items may be any of three types becomes,
    /// in Kiota's C#, objects that serialise as <c>{}</c>.</summary>
    private static void ReplaceFreeFormSchemas(OpenApiDocument document)
    {
        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        document.Components!.Schemas![NamedVariablesSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Named template variables, each name as the template writes it: {\"{name}\": \"Budi\", \"{code}\": \"B-1\"}.",
            AdditionalProperties = text,
        };
        IOpenApiSchema Variables() => new OpenApiSchema
        {
            Description = "Positional values (a list: the template's {{1}}, {{2}}, ...) or named ones (an object such as {\"{name}\": \"Budi\"}).",
            OneOf = [new OpenApiSchema { Type = JsonSchemaType.Array, Items = text }, new OpenApiSchemaReference(NamedVariablesSchema, document)],
        };
        IOpenApiSchema VariantVariables() => new OpenApiSchema
        {
            Description = "How many positional variables the template takes (Qiscus), or the names of its named ones in order (Omnichat: [\"{name}\", \"{amount}\"]).",
            OneOf = [new OpenApiSchema { Type = JsonSchemaType.Integer }, new OpenApiSchema { Type = JsonSchemaType.Array, Items = text }],
        };
        var replacements = new Dictionary<(string Schema, string Property), Func<IOpenApiSchema>>
        {
            [(nameof(TemplateRequest), "id")] = () => new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Integer, Description = "The vendor's template id, as text or a number." },
            [(nameof(TemplateRequest), "variables")] = Variables,
            [(nameof(InlineRecipient), "variables")] = Variables,
            [(nameof(SendMessageRequest), "variables")] = Variables,
            [(nameof(TemplatesApi.PreviewRequest), "variables")] = Variables,
            [(nameof(TemplatesApi.TemplateVariantRequest), "id")] = () => new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Integer, Description = "The vendor's template id, as text or a number." },
            [(nameof(TemplatesApi.TemplateVariantRequest), "variables")] = VariantVariables,
            [(nameof(TemplatesApi.TemplateVariantView), "variables")] = VariantVariables,
            [(nameof(ButtonRequest), "values")] = () => new OpenApiSchema
            {
                Description = "The button's value, or its values (joined with commas).",
                OneOf = [new OpenApiSchema { Type = JsonSchemaType.String }, new OpenApiSchema { Type = JsonSchemaType.Array, Items = text }],
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

        // template: a registered template's name, or the vendor's own fields.
        foreach (var request in new[] { nameof(SendMessageRequest), nameof(CreateBroadcastRequest) })
            if (document.Components.Schemas.TryGetValue(request, out var schema) && schema is OpenApiSchema { Properties: { } props } && props.ContainsKey("template"))
            {
                if (request == nameof(SendMessageRequest)) props["variables"] = Variables();
                props["template"] = new OpenApiSchema
                {
                    Description = "The name of a registered template (GET /api/templates), sent as the variant of the provider used; or the vendor's template fields.",
                    OneOf =
                    [
                        new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Core.Templates.TemplateNames.MaxLength, Pattern = "^[A-Za-z0-9_.-]+$" },
                        new OpenApiSchemaReference(nameof(TemplateRequest), document),
                    ],
                };
            }
    }

    /// <summary>Request fields taking an enum's words (<see cref="ContractSchemas.RequestWords"/>) refer to that enum's
    /// schema, so a generated client has one enum type for the request and the answer, and no <c>null</c> among its
    /// words: such a field is left out for its default.</summary>
    private static void ReferRequestWords(OpenApiDocument document)
    {
        foreach (var request in ContractSchemas.RequestFields.Keys)
        {
            if (!document.Components!.Schemas!.TryGetValue(request.Name, out var schema) || schema is not OpenApiSchema { Properties: { } properties }) continue;
            foreach (var (property, words) in ContractSchemas.RequestWords)
                if (properties.ContainsKey(property))
                    properties[property] = new OpenApiSchemaReference(words.Name, document);
        }
    }

    private static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>
    {
        ["Health"] = "Whether storage answers and which vendors are configured; no key needed.",
        ["Messages"] = "One message to one recipient, now or scheduled, optionally waiting for its outcome.",
        ["Broadcasts"] = "One message to many recipients (inline or an upload): start, watch, read each recipient's fate, cancel.",
        ["Uploads"] = "CSV files of recipients, validated row by row and kept for broadcasts.",
        ["Suppressions"] = "Numbers that are never messaged (opt-outs and those added by hand).",
        ["Templates"] = "Templates by name, each with the variant every provider sends; checked where a send uses them and previewed from their body.",
        ["Callbacks"] = "Delivery receipts and replies the vendors post; each needs its provider's callback secret.",
    };

    private static void DescribeTags(OpenApiDocument document)
    {
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description = description;
    }

    private static bool IsFreeForm(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference { Reference.Id: "JsonElement" }
        || schema.OneOf?.Any(IsFreeForm) == true;
}
