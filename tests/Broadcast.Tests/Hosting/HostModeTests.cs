using Broadcast.Functions.Hosting;
using System.Net;
using Broadcast.Functions.Drops;
using Broadcast.Durable;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broadcast.Tests.Hosting;

/// <summary>One executable, two hosts: standalone it watches the drops itself and has no invocation routes; under the
/// Functions host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set) it listens on that port and answers the host's blob trigger.
/// Both run the broadcasts' orchestrations on the app's own Durable Task engine.</summary>
public sealed class HostModeTests
{
    /// <summary>Listeners of its own, and the drop watcher when it watches (it is registered either way).</summary>
    private static IReadOnlyList<string> Listeners(TestApp app)
    {
        var running = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name)
            .Where(n => n.EndsWith("Listener") || n.EndsWith("Listeners")).ToList();
        if (FunctionsHost.RunsOwnListeners(app.Services.GetRequiredService<IConfiguration>())) running.Add(nameof(DropWatcher));
        return running;
    }

    [Fact]
    public async Task Under_the_functions_host_the_app_listens_on_its_port_runs_its_own_engine_and_answers_the_drop_invocation()
    {
        var settings = FunctionsHostDriver.HostMode();
        await using var app = await TestApp.StartAsync(settings);

        Assert.Equal($"http://127.0.0.1:{settings[FunctionsHost.PortSetting]}/", app.BaseUrl.ToString());
        Assert.Empty(Listeners(app));
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is StandaloneEngine); // a custom handler gets no Durable triggers
        using var host = new FunctionsHostDriver(app);
        Assert.NotEqual(HttpStatusCode.NotFound, (await host.InvokeAsync(FunctionsHost.DropFunction, new { Data = new { } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.InvokeAsync("BroadcastBatch", new { Data = new { } })).Status);
    }

    [Fact]
    public async Task Standalone_the_app_runs_its_engine_and_drop_watcher_and_has_no_invocation_routes()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal([nameof(DropWatcher)], Listeners(app));
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is StandaloneEngine);
        using var host = new FunctionsHostDriver(app);
        Assert.Equal(HttpStatusCode.NotFound, (await host.InvokeAsync(FunctionsHost.DropFunction, new { Data = new { } })).Status);
    }
}
