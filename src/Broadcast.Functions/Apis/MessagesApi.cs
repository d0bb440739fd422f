using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Templates;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public static class MessagesApi
{
    public const int MaxWaitSeconds = 60;

    /// <summary>How often a <c>?wait=</c> looks at storage for a message finished by another instance.</summary>
    private static readonly TimeSpan WaitPollEvery = TimeSpan.FromMilliseconds(100);

    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/messages", SendMessage).WithTags("Messages")
            .WithSummary("Send one message now or at started_at: a broadcast of one recipient.")
            .WithHeader(RequestMapping.IdempotencyKeyHeader)
            .WithQuery(QueryParameter.Integer("wait", 0, MaxWaitSeconds,
                "Seconds to wait for the message's outcome: 200 with the final state once it is done, or 202 when they run out."))
            .ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
        return api;
    }

    public static async Task<Results<Accepted<MessageState>, Ok<MessageState>, ProblemHttpResult>> SendMessage(
        SendMessageRequest? request, HttpContext http, BroadcastIntake intake, BroadcastStore broadcasts, BroadcastCompletions completions, RecipientLog log, TimeProvider time,
        IOptions<MessagingOptions> messaging, TemplateRegistry templates, [FromQuery(Name = "wait")] string? waitQuery, CancellationToken ct)
    {
        var wait = RequestMapping.QueryInt(waitQuery, "wait", 0, MaxWaitSeconds);
        var idempotencyKey = RequestMapping.IdempotencyKey(http.Request);
        if (request is null) throw RequestMapping.MissingBody();
        var provider = RequestMapping.Provider(request.Provider);
        var isGroup = request.IsGroup ?? false;
        var phone = RequestMapping.Phone(request.To, isGroup, messaging.Value.DefaultCountryCode, "to");
        var inTemplate = request.Template is { Registered: null, Variables.ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        if (inTemplate && request.Variables is { ValueKind: not JsonValueKind.Null })
            throw new IntakeException("variables", "Give the variables once: in template.variables or in variables.");
        var (values, names) = inTemplate
            ? RequestMapping.Variables(request.Template!.Variables, "template.variables")
            : RequestMapping.Variables(request.Variables, "variables");
        var recipient = new Recipient(1, phone, RequestMapping.Name(request.Name, "name"), values);
        var (startedAt, controls) = CampaignMapping.Map(request, messaging.Value.TimeZone);
        var single = new NewBroadcast(null, provider, RequestMapping.Content(request.Text, request.Event, request.Template),
            RequestMapping.Channel(request.Channel), isGroup, RequestMapping.Delivery(request.Delivery), false, startedAt,
            null, [recipient], names, SingleMessage: true, Controls: controls);
        single = await SendPlanning.PlanAsync(single, request.Template, request.Fallback, templates, null, ct);
        var fingerprint = BroadcastIntake.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(request, Extensions.Json));
        var (record, _) = await intake.CreateAsync(single, idempotencyKey, fingerprint, ct);

        if (wait is > 0)
        {
            var deadline = time.GetUtcNow().AddSeconds(wait.Value);
            while (!BroadcastStatus.IsFinished(record.Status) && time.GetUtcNow() < deadline)
            {
                // Finished here (the fast path) wakes this at once; finished by another instance, the poll sees it.
                await completions.WaitAsync(record.Id, WaitPollEvery, ct);
                record = await broadcasts.GetAsync(record.Id, ct) ?? record;
            }
            completions.Forget(record.Id);
            if (BroadcastStatus.IsFinished(record.Status))
                return TypedResults.Ok(new MessageState(await BroadcastsApi.StateAsync(record, log, ct), BroadcastsApi.Links(http, record)));
        }
        // Not finished: the state as accepted, without a read of the recipient log (its recipient is left out).
        var links = BroadcastsApi.Links(http, record);
        return TypedResults.Accepted(links.StatusQueryGetUri, new MessageState(BroadcastState.From(record), links));
    }
}
