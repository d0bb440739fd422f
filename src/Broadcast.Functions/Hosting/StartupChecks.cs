using Broadcast.Core.Storage;
using Broadcast.Core.Vendors;
using Broadcast.Core.Messaging;

namespace Broadcast.Functions.Hosting;

/// <summary>Refuses to start without API keys outside Development, creates the storage it needs, and says which
/// vendors are not configured (by setting name, never by value).</summary>
internal sealed class StartupChecks(
    IHostEnvironment env,
    IOptions<ApiOptions> api,
    IStorage storage,
    VendorRegistry vendors,
    TimeProvider time,
    ILogger<StartupChecks> log) : IHostedService
{
    /// <summary>How long storage may take to answer at start (Azurite started beside the app, a cold account).</summary>
    private static readonly TimeSpan StorageStartupWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StorageStartupPoll = TimeSpan.FromMilliseconds(500);

    public async Task StartAsync(CancellationToken ct)
    {
        if (api.Value.KeyList.Count == 0 && !env.IsDevelopment())
            throw new InvalidOperationException("Api__Keys is empty: set at least one API key, or run in the Development environment.");
        if (api.Value.KeyList.Count == 0)
            log.LogWarning("Api__Keys is empty: the API accepts calls without a key (Development only).");

        foreach (var (name, options) in vendors.All.Select(v => (v.Provider.Name(), v.Options)))
        {
            if (options.IsConfigured) log.LogInformation("Vendor {Vendor} is configured at {BaseUrl}", name, options.BaseUrl);
            else log.LogWarning("Vendor {Vendor} is not configured: missing {Settings}", name, string.Join(", ", options.MissingSettings));
        }

        var deadline = time.GetUtcNow() + StorageStartupWait;
        while (true)
        {
            try
            {
                await storage.EnsureCreatedAsync(ct);
                return;
            }
            catch (Exception e) when (time.GetUtcNow() < deadline && e is not OperationCanceledException)
            {
                log.LogWarning("Storage not reachable yet ({Error}); retrying", e.GetType().Name);
                await Task.Delay(StorageStartupPoll, time, ct);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
