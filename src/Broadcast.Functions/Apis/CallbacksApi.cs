using System.Text.Json;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;

namespace Broadcast.Functions.Apis;

public static class CallbacksApi
{
    public sealed record CallbackAnswer(string Outcome);

    public static RouteGroupBuilder MapCallbacksApi(this RouteGroupBuilder api)
    {
        api.MapPost("/callbacks/{provider}", ReceiveCallback).WithTags("Callbacks")
            .WithSummary("Vendor callbacks: delivery/read/failed receipts and customer replies (STOP opts out). Needs the provider's callback secret in query 'token' or header 'x-callback-token'.")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404)
            .WithMetadata(new AnyQueryParameters());
        return api;
    }

    public static async Task<Results<Ok<CallbackAnswer>, ProblemHttpResult>> ReceiveCallback(string provider, HttpRequest request,
        IOptions<CallbackOptions> options, VendorRegistry vendors, CallbackProcessor callbacks, CancellationToken ct)
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

        var outcome = await ApplyAsync(vendors[p], body, callbacks, ct);
        return TypedResults.Ok(new CallbackAnswer(JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString())));
    }

    /// <summary>Each vendor reads its own callback shapes (<see cref="IVendorClient.ReadCallback"/>).</summary>
    private static async Task<CallbackOutcome> ApplyAsync(IVendorClient vendor, JsonElement body, CallbackProcessor callbacks, CancellationToken ct) =>
        vendor.ReadCallback(body) switch
        {
            { Status: { } status } => await callbacks.ApplyStatusAsync(status, ct),
            { Reply: { } reply } => await callbacks.HandleReplyAsync(reply, ct),
            _ => CallbackOutcome.Ignored,
        };
}
