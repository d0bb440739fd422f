using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Templates;
using Broadcast.Core.Vendors;
using Broadcast.Core.Workflow;
using Broadcast.Functions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Broadcast.Functions.Apis;

/// <summary>The template registry: templates by name, each with the variant every vendor sends, checked where a send
/// uses it and previewed from its body.</summary>
public static class TemplatesApi
{
    public const int DefaultPage = 100;
    public const int MaxPage = 1000;
    public const int BodyLength = 4096;

    /// <summary>POST and PUT: the name (PUT takes it from the path; a body's name must be the same), the preview text, the
    /// variant of each provider keyed by its name.</summary>
    public sealed record TemplateBody(string? Name, string? Body, IReadOnlyDictionary<string, TemplateVariantRequest?>? Variants);

    /// <summary>What one vendor's send needs: Qiscus id/name/namespace/language/variables (a count)/buttons, Omnichat
    /// id/variables (the names), Khoros event or text.</summary>
    public sealed record TemplateVariantRequest(
        JsonElement? Id, string? Name, string? Namespace, string? Language, JsonElement? Variables,
        IReadOnlyList<ButtonRequest?>? Buttons, string? Event, string? Text);

    public sealed record TemplateVariantView(string? Id, string? Name, string? Namespace, string? Language, JsonElement? Variables,
        IReadOnlyList<TemplateButton>? Buttons, string? Event, string? Text)
    {
        public static TemplateVariantView From(TemplateVariant v) => new(v.Id, v.Name, v.Namespace, v.Language,
            v.VariableNames is not null ? JsonSerializer.SerializeToElement(v.VariableNames)
            : v.VariableCount is { } n ? JsonSerializer.SerializeToElement(n) : null,
            v.Buttons, v.Event, v.Text);
    }

    public sealed record TemplateResponse(string Name, string? Body, IReadOnlyDictionary<string, TemplateVariantView> Variants,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static TemplateResponse From(RegisteredTemplate t) => new(t.Name, t.Body,
            t.Variants.OrderBy(v => v.Key).ToDictionary(v => v.Key.Name(), v => TemplateVariantView.From(v.Value)), t.CreatedAt, t.UpdatedAt);
    }

    public sealed record TemplateList(IReadOnlyList<TemplateResponse> Items, string? Continuation);

    /// <summary>Sample values: positional (a list) or named (an object); <c>provider</c> checks them against that
    /// provider's variant.</summary>
    public sealed record PreviewRequest(JsonElement? Variables, string? Provider);

    public sealed record PreviewResponse(string Text);

    public static RouteGroupBuilder MapTemplatesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/templates").WithTags("Templates");
        group.MapGet("/", ListTemplates).WithSummary("Registered templates in name order, paged.")
            .WithQuery(QueryParameter.Integer("limit", 1, MaxPage, $"Templates per page ({DefaultPage} when absent)."), QueryParameter.Continuation);
        group.MapPost("/", CreateTemplate).WithSummary("Register a template by name, with the variant each provider sends.").ProducesProblem(409);
        group.MapGet("/{name}", GetTemplate).WithSummary("One registered template.").ProducesProblem(404);
        group.MapPut("/{name}", ReplaceTemplate).WithSummary("Replace a template's body and variants.").ProducesProblem(404);
        group.MapDelete("/{name}", DeleteTemplate).WithSummary("Remove a template.").ProducesProblem(404);
        group.MapPost("/{name}/preview", PreviewTemplate).WithSummary("The text of the template's body with sample variables.")
            .ProducesProblem(404).ProducesProblem(422);
        return api;
    }

    public static async Task<Results<Ok<TemplateList>, ProblemHttpResult>> ListTemplates(TemplateRegistry registry,
        [FromQuery(Name = "limit")] string? limitQuery, [FromQuery] string? continuation, CancellationToken ct)
    {
        var (limit, storageToken) = RequestMapping.Paging(limitQuery, continuation, DefaultPage, MaxPage);
        var (items, next) = await registry.ListAsync(limit, storageToken, ct);
        return TypedResults.Ok(new TemplateList(items.Select(TemplateResponse.From).ToList(), PagingToken.Seal(next)));
    }

    public static async Task<Results<Created<TemplateResponse>, ProblemHttpResult>> CreateTemplate(TemplateBody? request,
        TemplateRegistry registry, VendorRegistry vendors, CancellationToken ct)
    {
        if (request is null) throw RequestMapping.MissingBody();
        var name = TemplateNames.Check(request.Name);
        var (body, variants) = Read(request, vendors);
        var created = await registry.CreateAsync(name, body, variants, ct);
        return TypedResults.Created($"/api/templates/{Uri.EscapeDataString(created.Name)}", TemplateResponse.From(created));
    }

    public static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> GetTemplate(string name, TemplateRegistry registry, CancellationToken ct) =>
        await registry.GetAsync(name, ct) is { } t ? TypedResults.Ok(TemplateResponse.From(t)) : NotFound(name);

    public static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> ReplaceTemplate(string name, TemplateBody? request,
        TemplateRegistry registry, VendorRegistry vendors, CancellationToken ct)
    {
        if (request is null) throw RequestMapping.MissingBody();
        if (request.Name is not null && !string.Equals(request.Name, name, StringComparison.OrdinalIgnoreCase))
            throw new IntakeException("name", "A template keeps its name: the body's name must be the path's (or left out). To rename, create the new one and delete the old.");
        var (body, variants) = Read(request, vendors);
        return await registry.ReplaceAsync(name, body, variants, ct) is { } t ? TypedResults.Ok(TemplateResponse.From(t)) : NotFound(name);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTemplate(string name, TemplateRegistry registry, CancellationToken ct) =>
        await registry.DeleteAsync(name, ct) ? TypedResults.NoContent() : NotFound(name);

    public static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> PreviewTemplate(string name, PreviewRequest? request,
        TemplateRegistry registry, CancellationToken ct)
    {
        if (request is null) throw RequestMapping.MissingBody();
        var (values, names) = RequestMapping.Variables(request.Variables, "variables");
        if (await registry.GetAsync(name, ct) is not { } template) return NotFound(name);
        TemplateVariant? variant = null;
        if (request.Provider is not null)
        {
            variant = TemplateUse.Variant(template, RequestMapping.Provider(request.Provider), "provider");
            (values, names) = TemplateUse.Arrange(template, variant, values, names, "variables");
        }
        if (template.Body is null)
            return Problems.Field("body", $"Template '{template.Name}' has no body to preview: give it one (PUT /api/templates/{template.Name}).", 422);
        return TypedResults.Ok(new PreviewResponse(TemplateUse.Preview(template.Body, values, names, variant ?? template.Variants.Values.FirstOrDefault(v => v.IsNamed))));
    }

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(detail: $"No template is named '{name}'.", statusCode: 404, title: "Not found");

    /// <summary>The body and the variants, each checked against its vendor; a wrong one is a 400 naming its field.</summary>
    private static (string? Body, Dictionary<Provider, TemplateVariant> Variants) Read(TemplateBody request, VendorRegistry vendors)
    {
        var body = FieldLimits.Check(request.Body, "body", BodyLength, multiline: true);
        if (request.Variants is not { Count: > 0 } given)
            throw new IntakeException("variants", "A template needs at least one variant: {\"qiscus\": {...}, \"omnichat\": {...}, \"khoros\": {...}}.");
        var variants = new Dictionary<Provider, TemplateVariant>();
        foreach (var (key, value) in given)
        {
            var field = $"variants.{key}";
            if (!Providers.TryParse(key, out var provider) || !string.Equals(key, provider.Name(), StringComparison.Ordinal))
                throw new IntakeException(field, $"'{key}' is not a provider: {string.Join(", ", Providers.Names)}.");
            if (value is null) throw new IntakeException(field, "A variant is an object: what that provider's send needs.");
            var variant = Variant(value, field);
            Check(vendors[provider], variant, field);
            variants[provider] = variant;
        }
        return (body, variants);
    }

    private static TemplateVariant Variant(TemplateVariantRequest v, string field)
    {
        int? count = null;
        IReadOnlyList<string>? names = null;
        switch (v.Variables)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                break;
            case { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var c) && c is >= 0 and <= FieldLimits.Variables:
                count = c;
                break;
            case { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() <= FieldLimits.Variables:
                var list = new List<string>();
                var i = 0;
                foreach (var item in a.EnumerateArray())
                {
                    var itemField = $"{field}.variables[{i++}]";
                    if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                        throw new IntakeException(itemField, "A variable's name is a non-empty string such as \"{name}\".");
                    var name = FieldLimits.Check(item.GetString()!.Trim(), itemField, FieldLimits.VariableName)!;
                    if (list.Any(n => string.Equals(MessageText.Bare(n), MessageText.Bare(name), StringComparison.OrdinalIgnoreCase)))
                        throw new IntakeException(itemField, $"'{name}' is named twice.");
                    list.Add(name);
                }
                names = list;
                break;
            default:
                throw new IntakeException($"{field}.variables", $"variables is how many the template takes (0 to {FieldLimits.Variables}) or the list of their names.");
        }
        return new TemplateVariant(
            FieldLimits.Check(RequestMapping.TemplateId(v.Id, $"{field}.id"), $"{field}.id", FieldLimits.TemplateId),
            FieldLimits.Check(v.Name, $"{field}.name", FieldLimits.TemplateName),
            FieldLimits.Check(v.Namespace, $"{field}.namespace", FieldLimits.TemplateNamespace),
            FieldLimits.Check(v.Language, $"{field}.language", FieldLimits.TemplateLanguage),
            count, names,
            RequestMapping.Buttons(v.Buttons, $"{field}.buttons", valuesRequired: false),
            FieldLimits.Check(v.Event, $"{field}.event", FieldLimits.Event),
            FieldLimits.Check(v.Text, $"{field}.text", FieldLimits.Text, multiline: true));
    }

    /// <summary>The vendor's own rules for what it sends (its Validate), without its channel: a template is registered
    /// whether or not the vendor is configured here.</summary>
    private static void Check(IVendorClient vendor, TemplateVariant variant, string field)
    {
        if ((variant.Event is not null || variant.Text is not null) && (variant.Id is not null || variant.Namespace is not null || variant.Buttons is not null))
            throw new IntakeException(field, "A variant is a template (id, ...) or a text or an event, not both.");
        if (variant.Event is not null && variant.Text is not null)
            throw new IntakeException(field, "Give either 'text' or 'event', not both.");
        var content = variant.Content();
        if (vendor.Validate(content, new ChannelSpec(534, "whatsapp", "+10000000000", "key"), isGroup: false) is { } invalid
            && (invalid.Field.StartsWith("template", StringComparison.Ordinal) || invalid.Field is "text" or "event"))
        {
            var sub = invalid.Field.StartsWith("template.", StringComparison.Ordinal) ? "." + invalid.Field["template.".Length..]
                : invalid.Field == "template" ? "" : "." + invalid.Field;
            throw new IntakeException(field + sub, invalid.Error);
        }
        if (vendor.Capabilities.MaxTemplateVariables is { } max && variant.Variables > max)
            throw new IntakeException($"{field}.variables", $"{vendor.Provider.Name()} templates take at most {max} variables.");
        if (vendor.Capabilities.TemplateVariables == VariableStyle.Positional && variant.IsNamed)
            throw new IntakeException($"{field}.variables", $"{vendor.Provider.Name()} templates take positional variables: give their count.");
    }
}
