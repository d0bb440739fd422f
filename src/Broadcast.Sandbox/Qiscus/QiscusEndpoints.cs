using System.Globalization;
using System.Text.Json;
using Broadcast.Sandbox.Hosting;

namespace Broadcast.Sandbox.Qiscus;

/// <summary>Qiscus Multichannel outbound API: single template message and bulk (upload CSV, send broadcast).</summary>
internal static class QiscusEndpoints
{
    private const string ChannelName = "Qiscus Sandbox";
    private const int ChannelId = 534;
    private const int TemplateId = 191;
    private const string TemplateName = "sandbox_template";

    public static IEndpointRouteBuilder MapQiscus(this IEndpointRouteBuilder app, SandboxState state)
    {
        var settings = state.Settings.Qiscus;
        var qiscus = app.MapGroup("").WithTags(Vendors.Qiscus);
        qiscus.MapPost(QiscusSettings.ClientPath, Endpoint(state, SendClientAsync));
        qiscus.MapPost(settings.UploadCsvPath, Endpoint(state, UploadCsvAsync));
        qiscus.MapPost(settings.SendBroadcastPath, Endpoint(state, SendBroadcastAsync));
        return app;
    }

    private static RequestDelegate Endpoint(SandboxState state, Func<VendorCall, Task> handle) =>
        VendorEndpoint.Create(state, Vendors.Qiscus, WriteErrorAsync, async call =>
        {
            if (!IsAuthorized(call))
                await call.RejectAsync(StatusCodes.Status401Unauthorized, "Unauthorized");
            else
                await handle(call);
        });

    private static Task WriteErrorAsync(VendorCall call, int status, string message) =>
        call.RespondAsync(status, new QiscusError(new QiscusErrorMessage(message), status), SandboxJson.Context.QiscusError, accepted: false);

    private static bool IsAuthorized(VendorCall call)
    {
        var settings = call.State.Settings.Qiscus;
        var headers = call.Http.Request.Headers;
        return headers["Qiscus-App-Id"] == settings.AppId && headers["Qiscus-Secret-Key"] == settings.SecretKey;
    }

    private static async Task SendClientAsync(VendorCall call)
    {
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
        if (QiscusRequests.ReadClient(body, out var request) is { } error)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, error);
            return;
        }
        if (call.FaultFor([request!.PhoneNumber]) is { } fault)
        {
            await call.AnswerFaultAsync(fault, [request.PhoneNumber]);
            return;
        }
        if (call.Behavior.FailStatusFor(request.PhoneNumber) is int failStatus)
        {
            await call.RejectAsync(failStatus, RejectedPhone(request.PhoneNumber));
            return;
        }

        var backend = call.State.Qiscus;
        var log = new QiscusBroadcastLog(
            backend.NextLogId(), MessageId: null, Notes: null, request.PhoneNumber,
            SentAt: Utc(request.StartedAt ?? DateTimeOffset.UtcNow), Status: "scheduled",
            Variables: JsonSerializer.Serialize(request.Variables, SandboxJson.Context.IReadOnlyListString));
        var data = new QiscusClientData(backend.NextJobId(), [log], request.Language, request.TemplateName, request.Namespace);
        call.Deliver(request.PhoneNumber);
        await call.RespondAsync(StatusCodes.Status200OK, new QiscusClientResponse(data, 200), SandboxJson.Context.QiscusClientResponse, accepted: true);
    }

    private static async Task UploadCsvAsync(VendorCall call)
    {
        if (!call.IsMultipart)
        {
            await call.RejectAsync(StatusCodes.Status415UnsupportedMediaType, "Content-Type must be multipart/form-data");
            return;
        }
        if (call.Form is not { } form)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, $"file is invalid: {call.FormError}");
            return;
        }
        if (!form.Files.TryGetValue("file", out var csv))
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, QiscusRequests.Invalid("file"));
            return;
        }
        if (!JsonFields.TryPositiveIntegerText(form.Fields.GetValueOrDefault("template_detail_id"), out var templateDetailId))
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, QiscusRequests.Invalid("template_detail_id"));
            return;
        }
        if (!QiscusRequests.TrySeparator(form.Fields.GetValueOrDefault("separator"), out var separator))
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, QiscusRequests.Invalid("separator"));
            return;
        }

        CsvTable table;
        try
        {
            table = QiscusCsvTemplate.Parse(csv, separator);
        }
        catch (CsvFormatException e)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, $"file is invalid: {e.Message}");
            return;
        }
        if (await RejectFailPhonesAsync(call, table))
            return;

        var upload = call.State.Qiscus.AddUpload(templateDetailId, separator, table);
        var response = new QiscusUploadResponse(
            upload.Id,
            new QiscusBalance(Credits: "0", FreeSession: 1000, Quota: 857),
            new QiscusEstimation(Credit: 0, FreeSession: table.Count, Quota: 0));
        await call.RespondAsync(StatusCodes.Status200OK, response, SandboxJson.Context.QiscusUploadResponse, accepted: true);
    }

    private static async Task SendBroadcastAsync(VendorCall call)
    {
        QiscusSendRequest? request;
        string? error;
        if (call.IsJson)
        {
            using var document = call.ParseJson();
            if (document?.RootElement is not { ValueKind: JsonValueKind.Object } body)
            {
                await call.RejectAsync(StatusCodes.Status400BadRequest, "body is invalid JSON");
                return;
            }
            error = QiscusRequests.ReadSend(body, out request);
        }
        else if (call.IsMultipart)
        {
            if (call.Form is not { } form)
            {
                await call.RejectAsync(StatusCodes.Status400BadRequest, $"body is invalid: {call.FormError}");
                return;
            }
            error = QiscusRequests.ReadSend(form.Fields, out request);
        }
        else
        {
            await call.RejectAsync(StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json or multipart/form-data");
            return;
        }
        if (error is not null)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, error);
            return;
        }

        if (!call.State.Qiscus.TryGetUpload(request!.BroadcastFileId, out var upload))
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest, $"broadcast_file_id is invalid: file {request.BroadcastFileId} was not uploaded");
            return;
        }
        if (upload.Table is not { } table || upload.IsSent)
        {
            await call.RejectAsync(StatusCodes.Status409Conflict, $"broadcast_file_id {upload.Id} has already been sent");
            return;
        }
        if (upload.TemplateDetailId != request.TemplateDetailId)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest,
                $"template_detail_id is invalid: file {upload.Id} was uploaded for template_detail_id {upload.TemplateDetailId}");
            return;
        }
        if (upload.Separator != request.Separator)
        {
            await call.RejectAsync(StatusCodes.Status400BadRequest,
                $"separator is invalid: file {upload.Id} was uploaded with separator '{upload.Separator}'");
            return;
        }
        var phones = Enumerable.Range(0, table.Count).Select(table.Phone).ToList();
        if (call.FaultFor(phones) is { } fault)
        {
            // A vendor that took the broadcast before failing has sent it: the file cannot be sent again.
            if (fault.Delivered && !upload.TryMarkSent())
            {
                await call.RejectAsync(StatusCodes.Status409Conflict, $"broadcast_file_id {upload.Id} has already been sent");
                return;
            }
            await call.AnswerFaultAsync(fault, phones);
            if (fault.Delivered) upload.AfterSend();
            return;
        }
        if (await RejectFailPhonesAsync(call, table))
            return;
        if (!upload.TryMarkSent())
        {
            await call.RejectAsync(StatusCodes.Status409Conflict, $"broadcast_file_id {upload.Id} has already been sent");
            return;
        }

        for (var row = 0; row < table.Count; row++)
            call.Deliver(table.Phone(row));
        upload.AfterSend();

        var now = DateTimeOffset.UtcNow;
        var job = new QiscusBroadcastJob(
            CanceledAt: null, CanceledBy: null, ChannelId, ChannelName,
            CreatedAt: now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            call.State.Qiscus.NextJobId(), Language: "id", request.Name, StartedAt: Utc(request.StartedAt ?? now),
            Status: 4, request.TemplateDetailId, TemplateId, TemplateName,
            TotalFailed: null, TotalRead: null, TotalReceived: null, TotalRecipient: table.Count, TotalSent: null,
            new QiscusUser("Sandbox"));
        await call.RespondAsync(StatusCodes.Status200OK, new QiscusSendResponse(new QiscusSendData(job), 200),
            SandboxJson.Context.QiscusSendResponse, accepted: true);
    }

    private static async Task<bool> RejectFailPhonesAsync(VendorCall call, CsvTable table)
    {
        if (!call.Behavior.HasFailPhones)
            return false;
        for (var row = 0; row < table.Count; row++)
        {
            var phone = table.Phone(row);
            if (call.Behavior.FailStatusFor(phone) is int status)
            {
                await call.RejectAsync(status, RejectedPhone(phone));
                return true;
            }
        }
        return false;
    }

    private static string RejectedPhone(string phone) => $"phone_number {phone} is not a valid WhatsApp number";

    private static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
