using System.Globalization;
using Broadcast.Core.Recipients;
using Broadcast.Core.Templates;
using Broadcast.Core.Uploads;
using Broadcast.Functions.OpenApi;
using Broadcast.Functions.Uploads;

namespace Broadcast.Functions.Apis;

public static class UploadsApi
{
    public const int DefaultErrorPageSize = 100;
    public const int MaxErrorPageSize = 1000;

    public sealed record UploadResponse(
        string UploadId,
        string Layout,
        string Separator,
        IReadOnlyList<string> Columns,
        long TotalRows,
        long ValidRecipients,
        long InvalidRows,
        long DuplicatesRemoved,
        IReadOnlyList<UploadError> Errors,
        IReadOnlyList<string> VariableNames,
        bool Usable,
        DateTimeOffset CreatedAt,
        long Landlines,
        IReadOnlyList<long> LandlineRows)
    {
        public static UploadResponse From(UploadSummary s) => new(s.UploadId, s.Layout, s.Separator, s.Columns, s.TotalRows,
            s.ValidRecipients, s.InvalidRows, s.DuplicatesRemoved, s.Errors, s.VariableNames, s.Usable, s.CreatedAt,
            s.Landlines, s.LandlineRows ?? []);
    }

    public sealed record UploadErrorsResponse(string UploadId, IReadOnlyList<UploadError> Errors, string? Continuation);

    public const int MaxPreviewRows = 100;

    public sealed record UploadPreviewRow(int Row, string PhoneNumber, string? Name, string Text);

    public sealed record UploadPreview(string UploadId, string Template, IReadOnlyList<UploadPreviewRow> Items);

    public static RouteGroupBuilder MapUploadsApi(this RouteGroupBuilder api)
    {
        var uploads = api.MapGroup("/uploads").WithTags("Uploads");
        // No Accepts metadata: routing would answer other content types itself, without naming the field.
        uploads.MapPost("/", CreateUpload).WithSummary("Validates a CSV of recipients (multipart field 'file', or a text/csv body) and keeps it for a broadcast.")
            .AddOpenApiOperationTransformer(UploadForm.Describe)
            .WithQuery(UploadRequestBody.HintParameters)
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422);
        uploads.MapGet("/{id}", GetUpload).WithSummary("The summary of an upload: layout, counts and the first 100 errors.").ProducesProblem(404);
        uploads.MapGet("/{id}/errors", GetUploadErrors).WithSummary("Every row error of an upload, a page at a time.").ProducesProblem(400).ProducesProblem(404)
            .WithQuery(QueryParameter.Continuation, QueryParameter.Integer("limit", 1, MaxErrorPageSize, $"Errors per page ({DefaultErrorPageSize} when absent)."));
        uploads.MapGet("/{id}/preview", PreviewUpload).WithSummary("The texts the first rows get from a registered template's body.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(422)
            .WithQuery(new QueryParameter("template", "The registered template's name."),
                QueryParameter.Integer("rows", 1, MaxPreviewRows, "How many rows from the first (5 when absent)."),
                new QueryParameter("provider", "The provider whose variant names the variables (any when absent)."));
        return api;
    }

    public static async Task<Results<Created<UploadResponse>, ProblemHttpResult>> CreateUpload(
        HttpRequest request, UploadImporter importer, UploadCatalog catalog, TemplateRegistry templates, IOptions<UploadOptions> options, CancellationToken ct)
    {
        var summary = await UploadRequestBody.ImportAsync(request, importer, catalog, options.Value.MaxBytes, ct, templates);
        var response = UploadResponse.From(summary);
        if (!summary.Usable)
            return Problems.Status(422, "No valid recipient",
                $"None of the {summary.TotalRows} rows holds a valid recipient, so the upload cannot be used by a broadcast.",
                new Dictionary<string, object?>
                {
                    ["upload_id"] = response.UploadId,
                    ["layout"] = response.Layout,
                    ["separator"] = response.Separator,
                    ["columns"] = response.Columns,
                    ["total_rows"] = response.TotalRows,
                    ["valid_recipients"] = response.ValidRecipients,
                    ["invalid_rows"] = response.InvalidRows,
                    ["duplicates_removed"] = response.DuplicatesRemoved,
                    ["errors"] = response.Errors,
                });
        return TypedResults.Created($"/api/uploads/{summary.UploadId}", response);
    }

    public static async Task<Results<Ok<UploadResponse>, ProblemHttpResult>> GetUpload(string id, IUploadCatalog catalog, CancellationToken ct) =>
        await catalog.GetAsync(id, ct) is { } summary ? TypedResults.Ok(UploadResponse.From(summary)) : Problems.NotFound("upload", id);

    public static async Task<Results<Ok<UploadErrorsResponse>, ProblemHttpResult>> GetUploadErrors(
        string id, [FromQuery] string? continuation, [FromQuery(Name = "limit")] string? limitQuery, UploadCatalog catalog, CancellationToken ct)
    {
        var limit = RequestMapping.QueryInt(limitQuery, "limit", 1, MaxErrorPageSize);
        long offset = 0;
        if (!string.IsNullOrEmpty(continuation) && !long.TryParse(continuation, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            return Problems.Field("continuation", "The continuation does not belong to this upload's errors.");
        if (await catalog.GetAsync(id, ct) is null) return Problems.NotFound("upload", id);
        var page = await catalog.ReadErrorsAsync(id, offset, limit ?? DefaultErrorPageSize, ct);
        return TypedResults.Ok(new UploadErrorsResponse(id, page.Errors, page.Continuation));
    }

    public static async Task<Results<Ok<UploadPreview>, ProblemHttpResult>> PreviewUpload(string id,
        [FromQuery(Name = "template")] string? templateName, [FromQuery(Name = "rows")] string? rowsQuery, [FromQuery(Name = "provider")] string? providerQuery,
        IUploadCatalog catalog, TemplateRegistry registry, RecipientSetReader reader, CancellationToken ct)
    {
        var rows = RequestMapping.QueryInt(rowsQuery, "rows", 1, MaxPreviewRows) ?? 5;
        if (string.IsNullOrWhiteSpace(templateName)) return Problems.Field("template", "template names the registered template to preview.");
        var provider = providerQuery is null ? (Core.Messaging.Provider?)null : RequestMapping.Provider(providerQuery);
        if (await catalog.GetAsync(id, ct) is not { } summary) return Problems.NotFound("upload", id);
        if (await registry.GetAsync(templateName, ct) is not { } template)
            return TypedResults.Problem(detail: $"No template is named '{templateName}'.", statusCode: 404, title: "Not found");
        if (template.Body is null) return Problems.Field("template", $"Template '{template.Name}' has no body to preview.", 422);
        var variant = provider is { } p ? TemplateUse.Variant(template, p, "provider") : template.Variants.Values.FirstOrDefault(v => v.IsNamed);
        var pages = (rows + Core.Recipients.RecipientSetIndex.DefaultPageSize - 1) / Core.Recipients.RecipientSetIndex.DefaultPageSize;
        var recipients = summary.Usable ? await reader.ReadPagesAsync(summary.Recipients, 0, pages, ct) : [];
        var names = summary.VariableNames.Count > 0 && !summary.VariableNames.All(n => n.StartsWith("body_variable", StringComparison.OrdinalIgnoreCase))
            ? summary.VariableNames : (IReadOnlyList<string>)[];
        var items = recipients.Take(rows).Select(r => new UploadPreviewRow(r.Row, r.Phone, r.Name,
            TemplateUse.Preview(template.Body, r.Variables, names, variant, r.Name))).ToList();
        return TypedResults.Ok(new UploadPreview(summary.UploadId, template.Name, items));
    }
}
