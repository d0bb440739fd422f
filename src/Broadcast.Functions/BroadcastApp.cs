using Broadcast.Functions.Hosting;
using Broadcast.Functions.Apis;
using Broadcast.Functions.Dashboard;
using Broadcast.Functions.Http;
using Broadcast.Functions.OpenApi;
using Broadcast.Functions.Telemetry;

namespace Broadcast.Functions;

public static class BroadcastApp
{
    public const int DefaultPort = 7071;

    /// <summary>Pool threads started on demand without waiting; 0 keeps the runtime's policy (two per core, then about
    /// two more a second). More threads at once answer health checks sooner under a burst of sends and uploads, but
    /// cost a broadcast more CPU per recipient and more memory (docs/benchmarks.md, the load benchmark): a choice for
    /// API-heavy deployments, not the default.</summary>
    public const int DefaultMinWorkerThreads = 0;

    private static void RaiseMinWorkerThreads(int minimum)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (minimum > workers) ThreadPool.SetMinThreads(minimum, io);
    }

    /// <summary>Builds the app: configuration (local.settings.json "Values", then environment, then command line),
    /// services, middleware and every endpoint. Tests call it with their own settings.</summary>
    public static WebApplication Build(string[] args, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Insert(0, new LocalSettingsSource(Directory.GetCurrentDirectory()));
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);

        var customHandlerPort = builder.Configuration[FunctionsHost.PortSetting];
        if (!string.IsNullOrEmpty(customHandlerPort))
            builder.WebHost.UseUrls($"http://127.0.0.1:{customHandlerPort}");
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls($"http://localhost:{DefaultPort}");

        RaiseMinWorkerThreads(builder.Configuration.GetValue("Runtime:MinWorkerThreads", DefaultMinWorkerThreads));
        builder.AddBroadcastServices();
        builder.AddBroadcastTelemetry();
        configure?.Invoke(builder);
        builder.Services.RedactSecretsInLogs();

        var app = builder.Build();
        app.UseBroadcastHttp();
        app.MapApiContract();
        var api = app.MapGroup("/api");
        api.MapHealthApi();
        api.MapMessagesApi();
        api.MapBroadcastsApi();
        api.MapUploadsApi();
        api.MapCallbacksApi();
        api.MapSuppressionsApi();
        api.MapDashboardApi();
        if (app.Services.GetService<LocalTelemetry>() is not null) api.MapLocalTelemetryApi();
        if (!FunctionsHost.IsActive(app.Configuration)) app.MapDashboardHome();
        app.MapFunctionsHostInvocations();
        return app;
    }
}
