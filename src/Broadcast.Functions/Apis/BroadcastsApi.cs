using System.Text;
using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Templates;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public static class BroadcastsApi
{
    public const int DefaultBroadcastPage = 20;
    public const int MaxBroadcastPage = 100;
    public const int DefaultRecipientPage = 100;
    public const int MaxRecipientPage = 1000;

    public static RouteGroupBuilder MapBroadcastsApi(this RouteGroupBuilder api)
    {
        var broadcasts = api.MapGroup("/broadcasts").WithTags("Broadcasts");
        broadcasts.MapPost("/", CreateBroadcast).WithSummary("Start a broadcast from an upload or inline recipients, now or at started_at.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422)
            .WithHeader(RequestMapping.IdempotencyKeyHeader);
        broadcasts.MapGet("/", ListBroadcasts).WithSummary("Broadcasts, newest first, paged.")
            .WithQuery(QueryParameter.Integer("limit", 1, MaxBroadcastPage, $"Broadcasts per page ({DefaultBroadcastPage} when absent)."),
                QueryParameter.Continuation);
        broadcasts.MapGet("/{id}", GetBroadcast).WithSummary("A broadcast's status and counters.").ProducesProblem(404);
        broadcasts.MapGet("/{id}/recipients", ListRecipients).WithSummary("Each recipient's fate, paged, filtered by status.").ProducesProblem(404)
            .WithQuery(QueryParameter.Words<RecipientStatusName>("status", "Only the recipients with this status."),
                QueryParameter.Continuation,
                QueryParameter.Integer("limit", 1, MaxRecipientPage, $"Recipients per page ({DefaultRecipientPage} when absent)."));
        broadcasts.MapGet("/{id}/recipients.csv", RecipientsCsv).WithSummary("The whole recipient log as CSV.")
            .Produces<string>(200, "text/csv").ProducesProblem(404);
        broadcasts.MapPost("/{id}/resend", ResendBroadcast)
            .WithSummary("Send a finished broadcast's failed and unknown (or the statuses asked) recipients again, as a new broadcast with resend_of.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422)
            .WithHeader(RequestMapping.IdempotencyKeyHeader);
        broadcasts.MapPost("/{id}/cancel", CancelBroadcast).WithSummary("Cancel: answers canceling; canceled once every recipient has its final outcome.")
            .ProducesProblem(404).ProducesProblem(409);
        return api;
    }

    public static async Task<Results<Accepted<BroadcastAccepted>, ProblemHttpResult>> CreateBroadcast(
        CreateBroadcastRequest? request, HttpContext http, BroadcastIntake intake, IOptions<MessagingOptions> messaging, TemplateRegistry templates, CancellationToken ct)
    {
        var idempotencyKey = RequestMapping.IdempotencyKey(http.Request);
        if (request is null) throw RequestMapping.MissingBody();
        var broadcast = await SendPlanning.PlanAsync(request.ToNewBroadcast(messaging.Value.DefaultCountryCode, messaging.Value.TimeZone), request.Template,
            request.Fallback, templates, http.RequestServices.GetService<Core.Uploads.IUploadCatalog>(), ct);
        var fingerprint = BroadcastIntake.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(request, Extensions.Json));
        var (record, _) = await intake.CreateAsync(broadcast, idempotencyKey, fingerprint, ct);
        return AcceptedAnswer(http, record);
    }

    public static Accepted<BroadcastAccepted> AcceptedAnswer(HttpContext http, BroadcastRecord record)
    {
        var links = Links(http, record);
        return TypedResults.Accepted(links.StatusQueryGetUri, links);
    }

    /// <summary>Where to watch, cancel and read the log of a broadcast, as absolute URLs of this request's host.</summary>
    public static BroadcastAccepted Links(HttpContext http, BroadcastRecord record)
    {
        var self = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/broadcasts/{record.Id}";
        return new BroadcastAccepted(record.Id, StatusNames.Of(record.Status), self, self + "/cancel", self + "/recipients");
    }

    public static async Task<BroadcastState> StateAsync(BroadcastRecord record, RecipientLog log, CancellationToken ct)
    {
        RecipientState? single = null;
        if (record.Definition.SingleMessage)
        {
            var (items, _) = await log.PageAsync(record, null, 1, null, ct);
            single = items.Count > 0 ? RecipientState.From(items[0]) : null;
        }
        return BroadcastState.From(record, single);
    }

    public static async Task<Results<Ok<BroadcastState>, ProblemHttpResult>> GetBroadcast(string id, BroadcastStore broadcasts, RecipientLog log, CancellationToken ct)
    {
        var record = await broadcasts.GetAsync(id, ct);
        return record is null ? Problems.NotFound("broadcast", id) : TypedResults.Ok(await StateAsync(record, log, ct));
    }

    public static async Task<Results<Ok<BroadcastList>, ProblemHttpResult>> ListBroadcasts(BroadcastStore broadcasts,
        [FromQuery(Name = "limit")] string? limitQuery, [FromQuery] string? continuation, CancellationToken ct)
    {
        var (limit, storageToken) = RequestMapping.Paging(limitQuery, continuation, DefaultBroadcastPage, MaxBroadcastPage);
        var (items, next) = await broadcasts.ListAsync(limit, storageToken, ct);
        return TypedResults.Ok(new BroadcastList(items.Select(r => BroadcastState.From(r)).ToList(), PagingToken.Seal(next)));
    }

    public static async Task<Results<Ok<RecipientList>, ProblemHttpResult>> ListRecipients(string id, BroadcastStore broadcasts, RecipientLog log,
        [FromQuery] string? status, [FromQuery] string? continuation, [FromQuery(Name = "limit")] string? limitQuery, CancellationToken ct)
    {
        if (status is not null && !RecipientStatus.Listed.Contains(status))
            return Problems.Field("status", $"status is one of {string.Join(", ", RecipientStatus.Listed)}.");
        var limit = RequestMapping.QueryInt(limitQuery, "limit", 1, MaxRecipientPage);
        var record = await broadcasts.GetAsync(id, ct);
        if (record is null) return Problems.NotFound("broadcast", id);
        var (items, next) = await log.PageAsync(record, status, limit ?? DefaultRecipientPage, continuation, ct);
        return TypedResults.Ok(new RecipientList(items.Select(RecipientState.From).ToList(), next));
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> RecipientsCsv(string id, HttpContext http, BroadcastStore broadcasts,
        RecipientLog log, CancellationToken ct)
    {
        var record = await broadcasts.GetAsync(id, ct);
        if (record is null) return Problems.NotFound("broadcast", id);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"broadcast-{id}-recipients.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await RecipientLogCsv.WriteAsync(writer, record.Definition, log.AllAsync(record, ct), ct);
        await writer.FlushAsync(ct);
        return TypedResults.Empty;
    }

    /// <summary>202 with the new broadcast (its Location); 404 without the original, 409 while it runs, 422 when none of
    /// its recipients has one of the statuses.</summary>
    public static async Task<Results<Accepted<BroadcastState>, ProblemHttpResult>> ResendBroadcast(string id, ResendBroadcastRequest? request,
        HttpContext http, BroadcastResend resend, RecipientLog log, CancellationToken ct)
    {
        var idempotencyKey = RequestMapping.IdempotencyKey(http.Request);
        var original = await resend.OriginalAsync(id, ct);
        // The same key for another original, or other statuses or times, is a different request.
        var fingerprint = BroadcastIntake.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(new { resend_of = id, request }, Extensions.Json));
        var (record, _) = await resend.ResendAsync(original, CampaignMapping.Resend(request, original.Definition), idempotencyKey, fingerprint, ct);
        return TypedResults.Accepted(Links(http, record).StatusQueryGetUri, await StateAsync(record, log, ct));
    }

    public static async Task<Results<Accepted<BroadcastState>, ProblemHttpResult>> CancelBroadcast(string id, HttpContext http,
        BroadcastWorkflow workflow, RecipientLog log, CancellationToken ct)
    {
        var (result, record) = await workflow.CancelAsync(id, ct);
        return result switch
        {
            BroadcastWorkflow.CancelResult.NotFound => Problems.NotFound("broadcast", id),
            BroadcastWorkflow.CancelResult.AlreadyFinished => Problems.Status(409, "Already finished",
                $"Broadcast '{id}' is {record!.Status}; only a scheduled, running or waiting broadcast can be canceled."),
            _ => TypedResults.Accepted($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/broadcasts/{id}", await StateAsync(record!, log, ct)),
        };
    }
}
