using System.Text.Json;
using Broadcast.Sandbox.Hosting;

namespace Broadcast.Sandbox;

/// <summary>JSON (snake_case) endpoints under <c>/sandbox</c> for tests and demos in other processes.</summary>
internal static class ControlEndpoints
{
    public static IEndpointRouteBuilder MapControl(this IEndpointRouteBuilder app, SandboxState state)
    {
        var json = SandboxJson.Context;
        var sandbox = app.MapGroup("/sandbox");

        sandbox.MapGet("/health", () => Results.Json(new ControlMessage("ok"), json.ControlMessage));

        sandbox.MapGet("/requests", (string? vendor) =>
            vendor is not null && !Vendors.TryGetIndex(vendor, out _)
                ? UnknownVendor(vendor, StatusCodes.Status400BadRequest)
                : Results.Json(state.Requests(vendor), json.IReadOnlyListRecordedRequest));

        sandbox.MapDelete("/requests", () =>
        {
            state.ClearRecords();
            return Results.Json(new ControlMessage("ok"), json.ControlMessage);
        });

        sandbox.MapGet("/deliveries", (string? vendor) =>
            Vendors.TryGetIndex(vendor, out _)
                ? Results.Json(state.Deliveries(vendor!), json.IReadOnlyDictionaryStringInt32)
                : UnknownVendor(vendor, StatusCodes.Status400BadRequest));

        sandbox.MapGet("/stats", () =>
            Results.Json(Vendors.All.ToDictionary(v => v, state.Stats), json.DictionaryStringVendorStats));

        sandbox.MapGet("/behavior", () =>
            Results.Json(Vendors.All.ToDictionary(v => v, state.Behavior), json.DictionaryStringVendorBehavior));

        sandbox.MapPut("/behavior/{vendor}", async (string vendor, HttpRequest request) =>
        {
            if (!Vendors.TryGetIndex(vendor, out _))
                return UnknownVendor(vendor, StatusCodes.Status404NotFound);
            VendorBehavior? behavior;
            try
            {
                behavior = await JsonSerializer.DeserializeAsync(request.Body, json.VendorBehavior, request.HttpContext.RequestAborted);
            }
            catch (JsonException e)
            {
                return Error(StatusCodes.Status400BadRequest, $"invalid behavior: {e.Message}");
            }
            if (behavior is null)
                return Error(StatusCodes.Status400BadRequest, "invalid behavior: a JSON object is required");
            if (behavior.Validate() is { } error)
                return Error(StatusCodes.Status400BadRequest, error);
            state.Configure(vendor, behavior);
            return Results.Json(behavior, json.VendorBehavior);
        });

        sandbox.MapDelete("/behavior", () =>
        {
            state.ResetBehaviors();
            return Results.Json(new ControlMessage("ok"), json.ControlMessage);
        });

        sandbox.MapPost("/reset", () =>
        {
            state.Reset();
            return Results.Json(new ControlMessage("ok"), json.ControlMessage);
        });

        sandbox.MapGet("/qiscus/files/{id:long}", (long id) =>
            state.UploadedFile(id) is { } rows
                ? Results.Json(rows, json.IReadOnlyListIReadOnlyDictionaryStringString)
                : Error(StatusCodes.Status404NotFound, $"no uploaded file {id}"));

        return app;
    }

    private static IResult UnknownVendor(string? vendor, int status) =>
        Error(status, $"unknown vendor '{vendor}', expected one of: {string.Join(", ", Vendors.All)}");

    private static IResult Error(int status, string message) =>
        Results.Json(new ControlMessage("error", message), SandboxJson.Context.ControlMessage, statusCode: status);
}
