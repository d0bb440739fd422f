using System.Text.Json;
using Broadcast.Core;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Core.Workflow;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace Broadcast.Functions.Http;

/// <summary>The one place where exceptions become answers: the core's refusals as problem+json naming the field (or
/// row and column), storage going away as 503 with Retry-After, the framework's body errors in our words, and
/// anything else as a 500 that echoes nothing (storage and vendor errors can carry URLs and keys).</summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    /// <summary>What a 503 asks the caller to wait: long enough for a restarted storage emulator or a failed-over
    /// account to answer again, short enough that a caller retrying by it loses little.</summary>
    public const int StorageRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.Response.HasStarted) return false; // a streamed export already sent its head: nothing to answer
        switch (exception)
        {
            case IntakeException e:
                await Problems.Write(context, StatusOf(e.Refusal), TitleOf(e.Refusal), e.Message, e.Field, columns: e.Columns);
                return true;
            case UnknownFieldException e:
                await Problems.Unknown(context, e);
                return true;
            case UploadRejectedException e:
                await Problems.Write(context, StatusOf(e.Refusal), e.Title, e.Detail, e.Field, e.Row, e.Column);
                return true;
            case StorageUnavailableException:
                log.LogWarning("{Method} {Route}: storage unavailable, answered 503", context.Request.Method, RouteOf(context));
                context.Response.Headers.RetryAfter = StorageRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                    $"The product's storage is not answering; try again in {StorageRetryAfterSeconds} s.");
                return true;
            case BadHttpRequestException { InnerException: JsonException json }:
                if (UnknownJsonField.Find(json, RequestBodyType(context), JsonOptions(context)) is { } unknown)
                {
                    await Problems.Unknown(context, unknown);
                    return true;
                }
                var (field, detail) = JsonProblem(json);
                await Problems.Write(context, 400, "Malformed request body", detail, field);
                return true;
            case BadHttpRequestException { StatusCode: 413 }:
                await HttpPipeline.BodyTooLarge(context);
                return true;
            case BadHttpRequestException { StatusCode: 415 }:
                await Problems.Write(context, 415, "Unsupported content type", "Send the body as JSON with Content-Type application/json.", "body");
                return true;
            case BadHttpRequestException bad:
                // Never the framework's wording ("Failed to bind parameter ..."): handlers parse their own parameters,
                // so what is left is the body or the connection.
                await Problems.Write(context, bad.StatusCode, "Bad request", "The request could not be read: send a JSON object as the body.", "body");
                return true;
            default:
                await Problems.Write(context, 500, "Internal error", "The request failed; it has been logged.");
                return true;
        }
    }

    /// <summary>The route template, not the path: a path can carry a phone number.</summary>
    private static string RouteOf(HttpContext context) =>
        (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";

    /// <summary>The type the endpoint reads its JSON body as (the framework's <see cref="IAcceptsMetadata"/>).</summary>
    private static Type? RequestBodyType(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    private static JsonSerializerOptions JsonOptions(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    /// <summary>Answered as the caller's mistake or a passing outage, not as the app failing.</summary>
    public static bool IsExpected(Exception e) =>
        e is IntakeException or UnknownFieldException or UploadRejectedException or StorageUnavailableException or BadHttpRequestException;

    public static int StatusOf(Refusal refusal) => refusal switch
    {
        Refusal.NotFound => StatusCodes.Status404NotFound,
        Refusal.InProgress or Refusal.Conflict or Refusal.WrongState => StatusCodes.Status409Conflict,
        Refusal.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        Refusal.TooLarge => StatusCodes.Status413PayloadTooLarge,
        Refusal.UnsupportedContent => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string TitleOf(Refusal refusal) => refusal switch
    {
        Refusal.NotFound => "Not found",
        Refusal.InProgress => "Request in progress",
        Refusal.Conflict => "Already exists",
        Refusal.WrongState => "Not possible now",
        Refusal.Unprocessable => "Cannot be done",
        _ => "Invalid request",
    };

    /// <summary>The field a JSON error is about, and what is wrong with it, in our words.</summary>
    private static (string Field, string Detail) JsonProblem(JsonException json)
    {
        var field = JsonField(json.Path);
        // System.Text.Json's wording for a repeated key (AllowDuplicateProperties = false) names the key; keep just that.
        var duplicate = json.Message.StartsWith("Duplicate property '", StringComparison.Ordinal)
            ? json.Message["Duplicate property '".Length..].Split('\'')[0] : null;
        if (duplicate is not null)
        {
            var path = field is null || field.EndsWith(duplicate, StringComparison.Ordinal) ? field ?? duplicate : $"{field}.{duplicate}";
            return (path, $"Field '{path}' is given more than once.");
        }
        if (field is null) return ("body", json.LineNumber is null ? "The body is not a JSON object." : "The body is not a JSON object, or is not valid JSON.");
        return (field, $"Field '{field}' has a value of the wrong form.");
    }

    /// <summary>"$.template.variables[1]" → "template.variables[1]".</summary>
    public static string? JsonField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');
}
