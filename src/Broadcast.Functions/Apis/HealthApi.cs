using Broadcast.Core.Storage;
using Broadcast.Core.Vendors.Khoros;
using Broadcast.Core.Vendors.Omnichat;
using Broadcast.Core.Vendors.Qiscus;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Broadcast.Functions.Apis;

public static class HealthApi
{
    public sealed record VendorHealth(bool Configured, IReadOnlyList<string> MissingSettings);

    public sealed record HealthResponse(string Status, bool StorageReachable, IReadOnlyDictionary<string, VendorHealth> Vendors);

    public static RouteGroupBuilder MapHealthApi(this RouteGroupBuilder api)
    {
        api.MapGet("/health", GetHealth).WithTags("Health").WithSummary("Storage reachable; each vendor configured or not (no key needed).");
        return api;
    }

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(
        IStorage storage, IOptions<QiscusOptions> qiscus, IOptions<KhorosOptions> khoros, IOptions<OmnichatOptions> omnichat, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var reachable = await storage.PingAsync(timeout.Token);
        var vendors = new Dictionary<string, VendorHealth>
        {
            ["qiscus"] = new(qiscus.Value.IsConfigured, qiscus.Value.MissingSettings.ToList()),
            ["khoros"] = new(khoros.Value.IsConfigured, khoros.Value.MissingSettings.ToList()),
            ["omnichat"] = new(omnichat.Value.IsConfigured, omnichat.Value.MissingSettings.ToList()),
        };
        var response = new HealthResponse(reachable ? "healthy" : "unhealthy", reachable, vendors);
        return reachable ? TypedResults.Ok(response) : TypedResults.Json(response, statusCode: 503);
    }
}
