using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;
using Broadcast.Functions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Broadcast.Functions.Apis;

public static class MessagesApi
{
    public const int MaxWaitSeconds = 60;

    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/messages", SendMessage).WithTags("Messages")
            .WithSummary("Send one message now or at started_at: a broadcast of one recipient.")
            .ProducesProblem(400).ProducesProblem(422);
        return api;
    }

    public static async Task<Results<Accepted<BroadcastAccepted>, Ok<BroadcastState>, ProblemHttpResult>> SendMessage(
        SendMessageRequest request, HttpContext http, BroadcastIntake intake, BroadcastStore broadcasts, RecipientLog log,
        IOptions<MessagingOptions> messaging, [FromQuery] int? wait, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken ct)
    {
        if (wait is < 0 or > MaxWaitSeconds) return Problems.Field("wait", $"wait is 0 to {MaxWaitSeconds} seconds.");
        BroadcastRecord record;
        try
        {
            var provider = RequestMapping.Provider(request.Provider);
            var isGroup = request.IsGroup ?? false;
            var phone = RequestMapping.Phone(request.To, isGroup, messaging.Value.DefaultCountryCode, "to");
            var (values, names) = RequestMapping.Variables(request.Template?.Variables, "template.variables");
            var recipient = new Recipient(1, phone, request.Name, values);
            var single = new NewBroadcast(null, provider, RequestMapping.Content(request.Text, request.Event, request.Template),
                RequestMapping.Channel(request.Channel), isGroup, RequestMapping.Delivery(request.Delivery), false, request.StartedAt,
                null, [recipient], names, SingleMessage: true);
            var fingerprint = BroadcastIntake.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(request, Extensions.Json));
            (record, _) = await intake.CreateAsync(single, idempotencyKey, fingerprint, ct);
        }
        catch (IntakeException e)
        {
            return Problems.Field(e.Field, e.Message, e.Status);
        }

        if (wait is > 0)
        {
            var deadline = DateTime.UtcNow.AddSeconds(wait.Value);
            while (!BroadcastStatus.IsFinished(record.Status) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
                record = await broadcasts.GetAsync(record.Id, ct) ?? record;
            }
            if (BroadcastStatus.IsFinished(record.Status))
                return TypedResults.Ok(await BroadcastsApi.StateAsync(record, log, ct));
        }
        return BroadcastsApi.AcceptedAnswer(http, record);
    }
}
