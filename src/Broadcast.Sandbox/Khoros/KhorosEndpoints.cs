using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Broadcast.Sandbox.Hosting;

namespace Broadcast.Sandbox.Khoros;

/// <summary>Khoros Flow REST API: broadcast to MSISDN.</summary>
internal static partial class KhorosEndpoints
{
    public const int MaxAudience = 1000;

    private static readonly HashSet<string> ChannelNames =
        ["rbm", "messagemedia", "telekom", "twilio", "whatsapp", "khoros", "messenger"];

    public static IEndpointRouteBuilder MapKhoros(this IEndpointRouteBuilder app, SandboxState state)
    {
        var khoros = app.MapGroup("/rest/v1/broadcast").WithTags(Vendors.Khoros);
        khoros.MapPost("/instant", VendorEndpoint.Create(state, Vendors.Khoros, WriteErrorAsync, InstantAsync));
        return app;
    }

    private static Task WriteErrorAsync(VendorCall call, int status, string message) =>
        call.RespondAsync(status, new KhorosError("error", message), SandboxJson.Context.KhorosError, accepted: false);

    private static async Task InstantAsync(VendorCall call)
    {
        var authorization = call.Http.Request.Headers.Authorization.ToString();
        if (authorization != call.State.Settings.Khoros.ApiKey)
        {
            var message = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? "Unauthorized: the Authorization header must be the API key itself, without 'Bearer'"
                : "Unauthorized";
            await call.RejectAsync(StatusCodes.Status401Unauthorized, message);
            return;
        }
        if (!call.IsJson)
        {
            await call.RejectAsync(StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json");
            return;
        }
        using var document = call.ParseJson();
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } body)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, "body is invalid JSON");
            return;
        }
        if (ValidationError(body, out var recipients) is { } error)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, error);
            return;
        }
        if (call.FaultFor(recipients.Select(r => r.Value)) is { } fault)
        {
            await call.AnswerFaultAsync(fault, recipients.Select(r => r.Value));
            return;
        }
        if (call.Behavior.HasFailPhones)
        {
            for (var i = 0; i < recipients.Count; i++)
            {
                if (call.Behavior.FailStatusFor(recipients[i].Value) is int status)
                {
                    await call.RejectAsync(status, $"audience[{i}].{recipients[i].Field} {recipients[i].Value} is not reachable");
                    return;
                }
            }
        }

        foreach (var recipient in recipients)
            call.Deliver(recipient.Value);
        await call.RespondAsync(StatusCodes.Status200OK, new KhorosAccepted("ok", Guid.NewGuid().ToString(), recipients.Count),
            SandboxJson.Context.KhorosAccepted, accepted: true);
    }

    private readonly record struct Recipient(string Field, string Value);

    private static string? ValidationError(JsonElement body, out List<Recipient> recipients)
    {
        recipients = [];
        if (!JsonFields.TryGet(body, "audience", out var audience) || audience.ValueKind != JsonValueKind.Array)
            return "audience is required and must be an array";
        var count = audience.GetArrayLength();
        if (count == 0)
            return "audience must not be empty";
        if (count > MaxAudience)
            return $"audience has {count} entries, at most {MaxAudience} are allowed";

        var i = 0;
        foreach (var member in audience.EnumerateArray())
        {
            var at = $"audience[{i.ToString(CultureInfo.InvariantCulture)}]";
            i++;
            if (member.ValueKind != JsonValueKind.Object)
                return $"{at} must be an object";
            if (JsonFields.Has(member, "name") && !JsonFields.TryString(member, "name", out _))
                return $"{at}.name must be a string";
            if (JsonFields.Has(member, "profile") && member.GetProperty("profile").ValueKind != JsonValueKind.Object)
                return $"{at}.profile must be an object";
            var hasPhone = JsonFields.Has(member, "phoneNumber");
            if (hasPhone && (!JsonFields.TryString(member, "phoneNumber", out var phone) || !Msisdn().IsMatch(phone)))
                return $"{at}.phoneNumber is invalid: '+' followed by 8 to 15 digits expected";
            var hasIdentifier = JsonFields.Has(member, "identifier");
            if (hasIdentifier && !JsonFields.TryNonEmptyString(member, "identifier", out _))
                return $"{at}.identifier must be a non-empty string";
            if (!hasPhone && !hasIdentifier)
                return $"{at} needs a phoneNumber or an identifier";
            recipients.Add(hasPhone
                ? new Recipient("phoneNumber", member.GetProperty("phoneNumber").GetString()!)
                : new Recipient("identifier", member.GetProperty("identifier").GetString()!));
        }

        if (!JsonFields.TryGet(body, "channel", out var channel) || channel.ValueKind != JsonValueKind.Object)
            return "channel is required and must be an object";
        if (!JsonFields.TryString(channel, "channelName", out var channelName) || !ChannelNames.Contains(channelName))
            return $"channel.channelName is invalid: one of {string.Join(", ", ChannelNames)} expected";
        if (!JsonFields.TryNonEmptyString(channel, "externalId", out _))
            return "channel.externalId is required and must be a non-empty string";

        if (!JsonFields.TryGet(body, "payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            return "payload is required and must be an object";
        JsonFields.TryString(payload, "type", out var type);
        return type switch
        {
            "text" when !JsonFields.TryNonEmptyString(payload, "speech", out _) => "payload.speech is required for type text",
            "event" when !JsonFields.TryNonEmptyString(payload, "eventName", out _) => "payload.eventName is required for type event",
            "text" or "event" => null,
            _ => "payload.type is invalid: text or event expected",
        };
    }

    [GeneratedRegex(@"^\+[0-9]{8,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex Msisdn();
}
