using System.Text.Json;
using System.Text.RegularExpressions;
using Broadcast.Sandbox.Hosting;

namespace Broadcast.Sandbox.Omnichat;

/// <summary>Omnichat WhatsApp API: send a text or template message to a number or a group.</summary>
internal static partial class OmnichatEndpoints
{
    public const string Sent = "Berhasil mengirimkan pesan";
    public const string NotSent = "Gagal mengirimkan pesan";

    public static IEndpointRouteBuilder MapOmnichat(this IEndpointRouteBuilder app, SandboxState state)
    {
        var omnichat = app.MapGroup("/api-app/whatsapp").WithTags(Vendors.Omnichat);
        omnichat.MapPost("/send-message", VendorEndpoint.Create(state, Vendors.Omnichat, WriteErrorAsync, SendMessageAsync));
        return app;
    }

    private static Task WriteErrorAsync(VendorCall call, int status, string message) =>
        call.RespondAsync(status, new OmnichatResponse(false, message), SandboxJson.Context.OmnichatResponse, accepted: false);

    private static async Task SendMessageAsync(VendorCall call)
    {
        // The API key travels in the body, so the body must be readable before auth.
        if (!call.IsJson)
        {
            await call.RejectAsync(StatusCodes.Status415UnsupportedMediaType, "Content-Type harus application/json");
            return;
        }
        using var document = call.ParseJson();
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } body)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, "Body bukan JSON yang valid");
            return;
        }
        if (!JsonFields.TryString(body, "api_key", out var apiKey) || apiKey != call.State.Settings.Omnichat.ApiKey)
        {
            await call.RejectAsync(StatusCodes.Status401Unauthorized, "API key tidak valid");
            return;
        }
        if (ValidationError(body, out var phone) is { } error)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, error);
            return;
        }
        if (call.FaultFor([phone]) is { } fault)
        {
            await call.AnswerFaultAsync(fault, [phone]);
            return;
        }
        if (call.Behavior.FailStatusFor(phone) is int failStatus)
        {
            await call.RejectAsync(failStatus, $"Nomor {phone} tidak terdaftar di WhatsApp");
            return;
        }
        if (call.Behavior.AnswersStatusFalseFor(phone) || call.Behavior.TryConsumeStatusFalse())
        {
            await call.RespondAsync(StatusCodes.Status200OK, new OmnichatResponse(false, call.Behavior.Behavior.FailMessage ?? NotSent),
                SandboxJson.Context.OmnichatResponse, accepted: false);
            return;
        }

        call.Deliver(phone);
        await call.RespondAsync(StatusCodes.Status200OK, new OmnichatResponse(true, Sent), SandboxJson.Context.OmnichatResponse, accepted: true);
    }

    private static string? ValidationError(JsonElement body, out string phone)
    {
        phone = "";
        if (!JsonFields.Has(body, "phone"))
            return Required("phone");
        if (!JsonFields.TryNonEmptyString(body, "phone", out phone))
            return Invalid("phone");

        if (!JsonFields.Has(body, "method"))
            return Required("method");
        if (!JsonFields.TryString(body, "method", out var method) || method is not ("text" or "template"))
            return Invalid("method") + ": text atau template";

        var isGroup = false;
        if (JsonFields.Has(body, "is_group"))
        {
            if (!JsonFields.TryBoolean(body, "is_group", out isGroup))
                return Invalid("is_group");
        }
        else if (method == "text")
        {
            return Required("is_group");
        }

        if (!isGroup && !Digits().IsMatch(phone))
            return Invalid("phone") + ": hanya angka";

        // The template table of the vendor document marks device_key as required; for text only groups need it.
        var deviceKeyRequired = isGroup || method == "template";
        if (JsonFields.Has(body, "device_key"))
        {
            if (!JsonFields.TryNonEmptyString(body, "device_key", out _))
                return Invalid("device_key");
        }
        else if (deviceKeyRequired)
        {
            return Required("device_key");
        }

        if (method == "text")
        {
            if (!JsonFields.Has(body, "text"))
                return Required("text");
            return JsonFields.TryNonEmptyString(body, "text", out _) ? null : Invalid("text");
        }

        if (!JsonFields.Has(body, "template"))
            return Required("template");
        if (!JsonFields.TryNonEmptyString(body, "template", out _))
            return Invalid("template");
        if (!JsonFields.TryGet(body, "variables", out var variables))
            return Required("variables");
        if (variables.ValueKind != JsonValueKind.Object)
            return Invalid("variables");
        foreach (var variable in variables.EnumerateObject())
        {
            if (variable.Value.ValueKind != JsonValueKind.String)
                return Invalid($"variables.{variable.Name}");
        }
        return null;
    }

    private static string Required(string field) => $"{field} wajib diisi";

    private static string Invalid(string field) => $"{field} tidak valid";

    [GeneratedRegex(@"^[0-9]{8,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}
