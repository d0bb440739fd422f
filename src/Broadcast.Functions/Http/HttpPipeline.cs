using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Broadcast.Functions.Http;

public static class HttpPipeline
{
    public static void UseBroadcastHttp(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteProblemForExceptionAsync });
        app.UseStatusCodePages();
        app.Use(RequireApiKey);
    }

    /// <summary>Every /api call but /api/health needs one of the configured keys, in header <c>x-functions-key</c>
    /// or query <c>code</c> (the Functions conventions). Keys are compared in constant time.</summary>
    private static async Task RequireApiKey(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") || path.StartsWithSegments("/api/health") || path.StartsWithSegments("/api/callbacks"))
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

    private static async Task WriteProblemForExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        switch (error)
        {
            case BadHttpRequestException { InnerException: JsonException json }:
                var field = JsonField(json.Path);
                await Problems.Write(context, 400, "Malformed request body",
                    field is null ? "The body is not valid JSON." : $"Field '{field}' has a value of the wrong form.", field);
                return;
            case BadHttpRequestException bad:
                await Problems.Write(context, bad.StatusCode, "Bad request", bad.Message);
                return;
            default:
                // Never echo exception messages: storage and vendor errors can carry URLs and keys.
                await Problems.Write(context, 500, "Internal error", "The request failed; it has been logged.");
                return;
        }
    }

    /// <summary>"$.template.variables[1]" → "template.variables[1]".</summary>
    public static string? JsonField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');
}
