using System.Security.Cryptography;
using System.Text;
using Broadcast.Functions.Apis;
using Microsoft.AspNetCore.Http.Features;

namespace Broadcast.Functions.Http;

public static class HttpPipeline
{
    /// <summary>The app's HTTP middleware, in both forms: standalone on Kestrel's pipeline, under the Functions host
    /// inside each HTTP function (<see cref="Hosting.HostedApi"/>).</summary>
    public static void UseBroadcastHttp(this IApplicationBuilder app, IConfiguration config)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // ProblemExceptionHandler answers. A refusal (4xx) or a storage outage (503) is not the app failing: no error
            // line, no stack trace, no failed span; anything else is logged as an unhandled exception.
            SuppressDiagnosticsCallback = c => ProblemExceptionHandler.IsExpected(c.Exception),
        });
        app.UseStatusCodePages();
        var storageBudget = config.GetSection("Storage").Get<Broadcast.Storage.StorageClientSettings>()?.RequestTimeout
                            ?? new Broadcast.Storage.StorageClientSettings().RequestTimeout;
        app.Use((context, next) =>
        {
            // API requests only: the dashboard's files and the API's description touch no storage.
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                Broadcast.Core.Storage.StorageCallBudget.Set(storageBudget);
                // Reads share a few storage slots, writes and the health probe never wait for one (Storage__ReadConcurrency).
                var read = (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                           && !context.Request.Path.StartsWithSegments("/api/health");
                Broadcast.Core.Storage.StorageLanes.Enter(read ? Broadcast.Core.Storage.StorageLane.Read : Broadcast.Core.Storage.StorageLane.Write);
            }
            return next(context);
        });
        app.Use(RequireApiKey);
        app.Use(QueryParameterCheck.RefuseUnknown);
        app.Use(LimitJsonBodies);
    }

    /// <summary>Every /api body but an upload's (which has <c>Uploads__MaxBytes</c>) is JSON of at most
    /// <see cref="FieldLimits.JsonBodyBytes"/>: larger is a 413 before any of it is read.</summary>
    private static Task LimitJsonBodies(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") || path.StartsWithSegments("/api/uploads")) return next(context);
        if (context.Request.ContentLength > FieldLimits.JsonBodyBytes) return BodyTooLarge(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = FieldLimits.JsonBodyBytes;
        return next(context);
    }

    internal static Task BodyTooLarge(HttpContext context) => Problems.Write(context, 413, "Request body too large",
        $"A request body is at most {FieldLimits.JsonBodyBytes / (1024 * 1024)} MB; upload a CSV (POST /api/uploads) for large recipient lists.", "body");

    /// <summary>Every /api call but /api/health, /api/callbacks, the dashboard's files and the API's description
    /// (/api/openapi, /api/docs) needs one of the configured
    /// keys, in header <c>x-functions-key</c> or query <c>code</c> (the Functions conventions). Keys are compared in
    /// constant time.</summary>
    private static async Task RequireApiKey(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") || path.StartsWithSegments("/api/health") || path.StartsWithSegments("/api/callbacks")
            || path.StartsWithSegments(Dashboard.DashboardApi.Path) || OpenApi.ApiContract.IsPublic(path))
        {
            await next(context);
            return;
        }
        var keys = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.KeyList;
        if (keys.Count == 0)
        {
            await next(context);
            return;
        }
        var presented = context.Request.Headers["x-functions-key"].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();
        if (presented is not null && keys.Any(k => FixedTimeEquals(k, presented)))
        {
            await next(context);
            return;
        }
        await Problems.Write(context, StatusCodes.Status401Unauthorized, "API key required",
            "Send a valid key in header 'x-functions-key' or query 'code'.");
    }

    public static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
