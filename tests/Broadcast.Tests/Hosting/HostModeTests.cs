using Broadcast.Functions.Hosting;
using System.Net;
using Broadcast.Functions.Drops;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broadcast.Tests.Hosting;

/// <summary>One executable, two hosts: standalone it runs its own queue (and blob) listeners and has no invocation
/// routes; under the Functions host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set) it listens on that port, runs none of
/// them and answers the host's invocations.</summary>
public sealed class HostModeTests
{
    /// <summary>The queue listeners, and the drop watcher when it watches (it is registered either way).</summary>
    private static IReadOnlyList<string> Listeners(TestApp app)
    {
        var running = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name)
            .Where(n => n.EndsWith("Listener") || n.EndsWith("Listeners")).ToList();
        if (FunctionsHost.RunsOwnListeners(app.Services.GetRequiredService<IConfiguration>())) running.Add(nameof(DropWatcher));
        return running;
    }

    [Fact]
    public async Task Under_the_functions_host_the_app_listens_on_its_port_runs_no_listener_and_answers_invocations()
    {
        var settings = FunctionsHostDriver.HostMode();
        await using var app = await TestApp.StartAsync(settings);

        Assert.Equal($"http://127.0.0.1:{settings[FunctionsHost.PortSetting]}/", app.BaseUrl.ToString());
        Assert.Empty(Listeners(app));
        using var host = new FunctionsHostDriver(app);
        foreach (var function in new[] { FunctionsHost.StartFunction, FunctionsHost.BatchFunction, FunctionsHost.DropFunction })
            Assert.NotEqual(HttpStatusCode.NotFound, (await host.InvokeAsync(function, new { Data = new { } })).Status);
    }

    [Fact]
    public async Task Standalone_the_app_runs_its_own_listeners_and_has_no_invocation_routes()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal([nameof(WorkflowListeners), nameof(DropWatcher)], Listeners(app));
        using var host = new FunctionsHostDriver(app);
        foreach (var function in new[] { FunctionsHost.StartFunction, FunctionsHost.BatchFunction, FunctionsHost.DropFunction })
            Assert.Equal(HttpStatusCode.NotFound, (await host.InvokeAsync(function, new { Data = new { } })).Status);
    }
}
