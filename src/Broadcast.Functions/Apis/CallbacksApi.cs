using System.Text.Json;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;
using Broadcast.Functions.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Broadcast.Functions.Apis;

/// <summary>Settings section <c>Callbacks</c>: <c>Callbacks__{Provider}__Secret</c> and the opt-out keywords.</summary>
public sealed class CallbackOptions
{
    public Dictionary<string, ProviderCallback> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string OptOutKeywords { get; set; } = "STOP,BERHENTI,UNSUBSCRIBE";

    public sealed class ProviderCallback
    {
        public string? Secret { get; set; }
    }

    public IReadOnlyList<string> Keywords => OptOutKeywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class CallbacksApi
{
    public sealed record CallbackAnswer(string Outcome);

    public static RouteGroupBuilder MapCallbacksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/callbacks/{provider}", ReceiveCallback).WithTags("Callbacks")
            .WithSummary("Vendor callbacks: delivery/read/failed receipts and customer replies (STOP opts out). Needs the provider's callback secret in query 'token' or header 'x-callback-token'.")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);
        return api;
    }

    public static async Task<Results<Ok<CallbackAnswer>, ProblemHttpResult>> ReceiveCallback(string provider, HttpRequest request,
        IOptions<CallbackOptions> options, CallbackProcessor callbacks, CancellationToken ct)
    {
        if (!Providers.TryParse(provider, out var p)) return Problems.NotFound("provider", provider);
        var secret = options.Value.Providers.GetValueOrDefault(p.Name())?.Secret;
        var presented = request.Query["token"].FirstOrDefault() ?? request.Headers["x-callback-token"].FirstOrDefault();
        if (string.IsNullOrEmpty(secret) || presented is null || !HttpPipeline.FixedTimeEquals(secret, presented))
            return Problems.Status(401, "Callback secret required",
                $"Send the secret of Callbacks__{char.ToUpperInvariant(p.Name()[0])}{p.Name()[1..]}__Secret in query 'token' or header 'x-callback-token'.");

        JsonElement body;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            body = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Problems.Status(400, "Malformed callback", "The body is not JSON.");
        }
        if (body.ValueKind != JsonValueKind.Object) return Problems.Status(400, "Malformed callback", "The body is not a JSON object.");

        try
        {
            var outcome = await ApplyAsync(p, body, callbacks, ct);
            return TypedResults.Ok(new CallbackAnswer(JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString())));
        }
        catch (IntakeException e)
        {
            return Problems.Field(e.Field, e.Message);
        }
    }

    /// <summary>Omnichat sends its callback ({"from", "message_id", "message", "from_name", "type"}) and webhook
    /// ({"device_key", "name", "message", "type"}) shapes; every provider may send the generic status shape
    /// ({"provider_message_id" | "phone_number", "status": "delivered" | "read" | "failed", "timestamp"}) or a
    /// generic reply ({"phone_number", "message"}). Unknown fields are ignored.</summary>
    private static Task<CallbackOutcome> ApplyAsync(Provider provider, JsonElement body, CallbackProcessor callbacks, CancellationToken ct)
    {
        var status = Text(body, "status");
        if (status is not null)
        {
            if (status is not (RecipientStatus.Delivered or RecipientStatus.Read or RecipientStatus.Failed))
                throw new IntakeException("status", "status is delivered, read or failed.");
            var messageId = Text(body, "provider_message_id");
            var phone = Text(body, "phone_number");
            if (messageId is null && phone is null) throw new IntakeException("provider_message_id", "Give provider_message_id or phone_number.");
            if (body.TryGetProperty("timestamp", out var ts) && ts.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                throw new IntakeException("timestamp", "timestamp is an ISO 8601 string or epoch seconds.");
            return callbacks.ApplyStatusAsync(new StatusCallback(provider, messageId, phone, status), ct);
        }

        var message = Text(body, "message") ?? throw new IntakeException("message", "A reply needs its 'message' (or a status callback its 'status').");
        var from = Text(body, "from") ?? Text(body, "phone_number") ?? Text(body, "phone");
        if (from is not null)
        {
            if (from.EndsWith("@g.us", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(CallbackOutcome.Ignored); // a group talking
            var at = from.IndexOf('@');
            if (at > 0) from = from[..at]; // "62812...@s.whatsapp.net"
        }
        return callbacks.HandleReplyAsync(new InboundReply(provider, from, message), ct);
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new IntakeException(name, $"{name} is a string."),
        } : null;
}
