using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Hardening;

/// <summary>What a load balancer's health probe hears while storage is away, and after.</summary>
public sealed class HealthDuringOutageTests
{
    private static Task<(Azurite Azurite, TestApp App)> StartAsync() => StorageOutageTests.StartAsync();

    private static async Task<(HttpStatusCode Status, JsonElement Body, TimeSpan Took)> HealthAsync(TestApp app)
    {
        var clock = Stopwatch.StartNew();
        var response = await app.Client.GetAsync("api/health");
        var took = clock.Elapsed;
        return (response.StatusCode, await response.JsonAsync(), took);
    }

    [Fact]
    public async Task Health_answers_503_unhealthy_within_2_s_while_storage_is_paused_and_healthy_again_after()
    {
        var (azurite, app) = await StartAsync();
        await using var _ = azurite;
        await using var __ = app;
        Assert.Equal(HttpStatusCode.OK, (await HealthAsync(app)).Status);

        azurite.Pause();
        try
        {
            await UnhealthyWithin2sAsync(app);
        }
        finally
        {
            azurite.Resume();
        }
        await Poll.UntilAsync(() => HealthAsync(app), h => h.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "health to recover");
    }

    [Fact]
    public async Task Health_answers_503_unhealthy_within_2_s_when_storage_is_stopped_and_the_app_still_stops_in_its_shutdown_time()
    {
        var (azurite, app) = await StartAsync();
        await using var _ = azurite;
        azurite.Stop();
        await UnhealthyWithin2sAsync(app);

        // The Durable Task worker's graceful stop waits for storage to take its leases back, for ever with storage gone:
        // the app stops its work where it is once the shutdown time (5 s for a test's app) is up.
        var stopping = Stopwatch.StartNew();
        await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60)); // a hang fails the test, not the run
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopping.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>A load balancer probing health from the moment storage went away hears 503 unhealthy within 2 s of it,
    /// each probe answering within 2 s. (An answer storage gave in the last 250 ms still counts as up, so the very
    /// first probe may say healthy: that is as of 250 ms ago.)</summary>
    private static async Task UnhealthyWithin2sAsync(TestApp app)
    {
        var since = Stopwatch.StartNew();
        while (true)
        {
            var (status, body, took) = await HealthAsync(app);
            Assert.True(took < TimeSpan.FromSeconds(2), $"took {took.TotalSeconds:0.00} s");
            if (status == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal("unhealthy", body.Str("status"));
                Assert.True(since.Elapsed < TimeSpan.FromSeconds(2), $"unhealthy only after {since.Elapsed.TotalSeconds:0.00} s");
                return;
            }
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(2), $"still healthy after {since.Elapsed.TotalSeconds:0.00} s");
        }
    }
}
