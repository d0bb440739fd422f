using Broadcast.Sandbox.Hosting;
using Broadcast.Sandbox.Khoros;
using Broadcast.Sandbox.Omnichat;
using Broadcast.Sandbox.Qiscus;

namespace Broadcast.Sandbox;

/// <summary>Builds and starts the vendor sandbox.</summary>
public static class SandboxApp
{
    public const string DefaultUrl = "http://127.0.0.1:7080";

    /// <summary>
    /// Builds the app: settings from configuration section <c>Sandbox</c> (environment <c>Sandbox__Qiscus__AppId</c>,
    /// command line <c>--Sandbox:Qiscus:AppId=...</c>), then <paramref name="configure"/>.
    /// Listens on <see cref="DefaultUrl"/> unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise.
    /// </summary>
    public static WebApplication Build(string[] args, Action<SandboxSettings>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SandboxApp).Assembly.GetName().Name,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Hosting starts an activity per request whenever it may log; the sandbox never logs requests, so it starts
        // none, and costs a process it shares with the app nothing for the trace headers the app sends.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var settings = new SandboxSettings();
        builder.Configuration.GetSection(SandboxSettings.SectionName).Bind(settings);
        configure?.Invoke(settings);
        settings.Validate();
        var state = new SandboxState(settings);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(state);
        builder.Services.AddOwnDiagnosticNames();

        var app = builder.Build();
        app.MapControl(state);
        app.MapQiscus(state);
        app.MapKhoros(state);
        app.MapOmnichat(state);
        return app;
    }

    /// <summary>Starts a sandbox on a free loopback port.</summary>
    public static async Task<RunningSandbox> StartAsync(Action<SandboxSettings>? configure = null, CancellationToken ct = default)
    {
        var app = Build(["--urls", "http://127.0.0.1:0"], configure);
        try
        {
            await app.StartAsync(ct);
            var address = app.Urls.First();
            return new RunningSandbox(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
