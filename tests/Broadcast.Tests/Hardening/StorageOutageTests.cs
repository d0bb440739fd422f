using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Hardening;

/// <summary>Storage going away, with an Azurite of the test's own (the shared one serves every other test).</summary>
public sealed class StorageOutageTests
{
    private static async Task<(Azurite Azurite, TestApp App)> StartAsync()
    {
        var azurite = await Azurite.StartAsync();
        var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        return (azurite, app);
    }

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
            var (status, body, took) = await HealthAsync(app);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", body.Str("status"));
            Assert.True(took < TimeSpan.FromSeconds(2), $"took {took.TotalSeconds:0.00} s");
        }
        finally
        {
            azurite.Resume();
        }
        await Poll.UntilAsync(() => HealthAsync(app), h => h.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "health to recover");
    }

    [Fact]
    public async Task Health_answers_503_unhealthy_within_2_s_when_storage_is_stopped()
    {
        var (azurite, app) = await StartAsync();
        await using var _ = azurite;
        await using var __ = app;
        azurite.Stop();
        var (status, body, took) = await HealthAsync(app);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.Str("status"));
        Assert.True(took < TimeSpan.FromSeconds(2), $"took {took.TotalSeconds:0.00} s");
    }
}
