using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Broadcast.Functions.Dashboard;

/// <summary>The dashboard: static files embedded in the app (so the published worker carries them), served
/// under <c>/api/dashboard/</c>, the one place that is an HTTP function under the Functions host too. The page holds
/// no secret and calls the public API with the key the user types, so it is served without a key.</summary>
public static class DashboardApi
{
    public const string Path = "/api/dashboard";

    private const string ResourcePrefix = "dashboard/";

    // No inline script or style, no third-party origin: the page can only talk to this app.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, DashboardFile> Files = Load();

    public static RouteGroupBuilder MapDashboardApi(this RouteGroupBuilder api)
    {
        api.MapGet("/dashboard/{*path}", GetFile).ExcludeFromDescription();
        return api;
    }

    /// <summary>Standalone, <c>/</c> opens the dashboard. Under the Functions host <c>/</c> is the host's own page
    /// and never reaches the app.</summary>
    public static void MapDashboardHome(this IEndpointRouteBuilder app) =>
        app.MapGet("/", (HttpContext http) => TypedResults.Redirect($"{http.Request.PathBase}{Path}/")).ExcludeFromDescription();

    public static IResult GetFile(string? path, HttpContext http)
    {
        // The page's relative links (app.js, ../broadcasts) need the trailing slash.
        if (string.IsNullOrEmpty(path) && !http.Request.Path.Value!.EndsWith('/'))
            return TypedResults.Redirect($"{http.Request.PathBase}{Path}/");
        if (!Files.TryGetValue(string.IsNullOrEmpty(path) ? "index.html" : path, out var file))
            return TypedResults.NotFound();

        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated each time (cheap 304s), so a new deployment shows at once.
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(file.ETag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(file.Content, file.ContentType);
    }

    private static FrozenDictionary<string, DashboardFile> Load()
    {
        var assembly = typeof(DashboardApi).Assembly;
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"";
            files[name[ResourcePrefix.Length..]] = new DashboardFile(content, ContentType(name), etag);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => System.IO.Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record DashboardFile(byte[] Content, string ContentType, string ETag);
}
