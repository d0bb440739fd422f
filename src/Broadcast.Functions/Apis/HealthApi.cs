using Broadcast.Core.Storage;
using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;
using Broadcast.Storage;

namespace Broadcast.Functions.Apis;

public static class HealthApi
{
    public sealed record VendorHealth(bool Configured, IReadOnlyList<string> MissingSettings);

    /// <summary><c>storage_mode</c>: <c>connection-string</c> or <c>identity</c> (how the app signs its storage calls).</summary>
    public sealed record HealthResponse(string Status, bool StorageReachable, string StorageMode, IReadOnlyDictionary<string, VendorHealth> Vendors);

    public static RouteGroupBuilder MapHealthApi(this RouteGroupBuilder api)
    {
        api.MapGet("/health", GetHealth).WithTags("Health").WithSummary("Storage reachable; each vendor configured or not (no key needed).")
            .Produces<HealthResponse>(503);
        return api;
    }

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(
        IStorage storage, StorageConnectionInfo connection, VendorRegistry vendorClients, CancellationToken ct)
    {
        var reachable = await PingAsync(storage, ct);
        var vendors = vendorClients.All.ToDictionary(v => v.Provider.Name(), v => new VendorHealth(v.Options.IsConfigured, v.Options.MissingSettings.ToList()));
        var response = new HealthResponse(reachable ? "healthy" : "unhealthy", reachable, connection.Mode, vendors);
        return reachable ? TypedResults.Ok(response) : TypedResults.Json(response, statusCode: 503);
    }

    /// <summary>Leaves half of the documented 2 s for the answer itself on a loaded machine.</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Reachable within <see cref="PingTimeout"/>, or not: a storage that hangs (a paused or blackholed
    /// account) is unreachable too, whether or not the client honours the cancellation.</summary>
    private static async Task<bool> PingAsync(IStorage storage, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(PingTimeout);
        var ping = storage.PingAsync(timeout.Token);
        if (await Task.WhenAny(ping, Task.Delay(PingTimeout, ct)) != ping)
        {
            _ = ping.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, whenever it ends
            return false;
        }
        try
        {
            return await ping;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
