using System.Globalization;
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
        return api;
    }

    public static async Task<Results<Created<UploadResponse>, ProblemHttpResult>> CreateUpload(
        HttpRequest request, UploadImporter importer, UploadCatalog catalog, IOptions<UploadOptions> options, CancellationToken ct)
    {
        var summary = await UploadRequestBody.ImportAsync(request, importer, catalog, options.Value.MaxBytes, ct);
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
}
