using Broadcast.Core.Messaging;
using Broadcast.Core.Phones;
using Broadcast.Core.Suppressions;

namespace Broadcast.Functions.Apis;

public static class SuppressionsApi
{
    public const int DefaultPage = 100;
    public const int MaxPage = 1000;

    public sealed record AddSuppressionRequest(string? PhoneNumber, string? Reason);

    public sealed record SuppressionResponse(string PhoneNumber, string? Reason, string Source, DateTimeOffset CreatedAt)
    {
        public static SuppressionResponse From(Suppression s) => new(s.PhoneNumber, s.Reason, s.Source, s.CreatedAt);
    }

    public sealed record SuppressionList(IReadOnlyList<SuppressionResponse> Items, string? Continuation);

    public static RouteGroupBuilder MapSuppressionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/suppressions").WithTags("Suppressions");
        group.MapGet("/", ListSuppressions).WithSummary("Numbers that are never messaged, paged.")
            .WithQuery(QueryParameter.Integer("limit", 1, MaxPage, $"Numbers per page ({DefaultPage} when absent)."), QueryParameter.Continuation);
        group.MapPost("/", AddSuppression).WithSummary("Suppress a number by hand.").ProducesProblem(400);
        group.MapGet("/{phone_number}", GetSuppression).WithSummary("One suppressed number.").ProducesProblem(404);
        group.MapDelete("/{phone_number}", RemoveSuppression).WithSummary("Allow a number again.").ProducesProblem(404);
        return api;
    }

    public static async Task<Results<Ok<SuppressionList>, ProblemHttpResult>> ListSuppressions(Core.Suppressions.SuppressionList list,
        [FromQuery(Name = "limit")] string? limitQuery, [FromQuery] string? continuation, CancellationToken ct)
    {
        var (limit, storageToken) = RequestMapping.Paging(limitQuery, continuation, DefaultPage, MaxPage);
        var (items, next) = await list.ListAsync(limit, storageToken, ct);
        return TypedResults.Ok(new SuppressionList(items.Select(SuppressionResponse.From).ToList(), PagingToken.Seal(next)));
    }

    public static async Task<Results<Created<SuppressionResponse>, ProblemHttpResult>> AddSuppression(AddSuppressionRequest? request,
        Core.Suppressions.SuppressionList list, IOptions<MessagingOptions> messaging, CancellationToken ct)
    {
        if (request is null) throw RequestMapping.MissingBody();
        FieldLimits.Check(request.PhoneNumber, "phone_number", FieldLimits.To);
        var reason = FieldLimits.Check(request.Reason, "reason", FieldLimits.Reason);
        if (!PhoneNumbers.TryNormalize(request.PhoneNumber, messaging.Value.DefaultCountryCode, out var phone, out var error))
            return Problems.Field("phone_number", request.PhoneNumber is null ? "phone_number is required." : error);
        await list.AddAsync(phone, reason, "api", ct);
        var saved = await list.GetAsync(phone, ct);
        return TypedResults.Created($"/api/suppressions/{phone}", SuppressionResponse.From(saved!));
    }

    public static async Task<Results<Ok<SuppressionResponse>, ProblemHttpResult>> GetSuppression([FromRoute(Name = "phone_number")] string phoneNumber,
        Core.Suppressions.SuppressionList list, IOptions<MessagingOptions> messaging, CancellationToken ct)
    {
        var found = PhoneNumbers.TryNormalize(phoneNumber, messaging.Value.DefaultCountryCode, out var phone, out _) ? await list.GetAsync(phone, ct) : null;
        return found is null ? Problems.NotFound("suppression", phoneNumber) : TypedResults.Ok(SuppressionResponse.From(found));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveSuppression([FromRoute(Name = "phone_number")] string phoneNumber,
        Core.Suppressions.SuppressionList list, IOptions<MessagingOptions> messaging, CancellationToken ct)
    {
        if (!PhoneNumbers.TryNormalize(phoneNumber, messaging.Value.DefaultCountryCode, out var phone, out var error))
            return Problems.Field("phone_number", error);
        return await list.RemoveAsync(phone, ct) ? TypedResults.NoContent() : Problems.NotFound("suppression", phoneNumber);
    }
}
