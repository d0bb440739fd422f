using Broadcast.Functions.Hosting;
using Broadcast.Functions.Apis;
using Broadcast.Functions.Dashboard;
using Broadcast.Functions.OpenApi;
using Broadcast.Functions.Telemetry;

namespace Broadcast.Functions;

/// <summary>The standalone form: the app on Kestrel with the standalone Durable Task engine (the run command, the
/// tests, <c>dotnet Broadcast.Functions.dll</c>). <see cref="WorkerApp"/> is the same app as the Functions host runs it.</summary>
public static class BroadcastApp
{
    public const int DefaultPort = 7071;

    /// <summary>Pool threads started on demand without waiting; 0 keeps the runtime's policy (two per core, then about
    /// two more a second). More threads at once answer health checks sooner under a burst of sends and uploads, but
    /// cost a broadcast more CPU per recipient and more memory (docs/benchmarks.md, the load benchmark): a choice for
    /// API-heavy deployments, not the default.</summary>
    public const int DefaultMinWorkerThreads = 0;

    internal static void RaiseMinWorkerThreads(IConfiguration config)
    {
        var minimum = config.GetValue("Runtime:MinWorkerThreads", DefaultMinWorkerThreads);
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
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls($"http://localhost:{DefaultPort}");

        RaiseMinWorkerThreads(builder.Configuration);
        builder.AddBroadcastServices(AppForm.Standalone);
        builder.AddBroadcastTelemetry(AppForm.Standalone);
        configure?.Invoke(builder);
        builder.Services.RedactSecretsInLogs();

        var app = builder.Build();
        app.UseBroadcastHttp(app.Configuration);
        app.MapBroadcastApi(app.Services);
        app.MapDashboardHome();
        return app;
    }

    /// <summary>Every route of the app, in both forms: the API's description and everything under <c>/api</c>.</summary>
    public static void MapBroadcastApi(this IEndpointRouteBuilder routes, IServiceProvider services)
    {
        routes.MapApiContract();
        var api = routes.MapGroup("/api");
        api.MapHealthApi();
        api.MapMessagesApi();
        api.MapBroadcastsApi();
        api.MapUploadsApi();
        api.MapCallbacksApi();
        api.MapSuppressionsApi();
        api.MapTemplatesApi();
        api.MapDashboardApi();
        if (services.GetService<LocalTelemetry>() is not null) api.MapLocalTelemetryApi();
    }
}
