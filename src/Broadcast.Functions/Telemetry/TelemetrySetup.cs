using Azure.Monitor.OpenTelemetry.Exporter;
using Broadcast.Core.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Broadcast.Functions.Telemetry;

/// <summary>The app's OpenTelemetry, set up once (eShop's ServiceDefaults style): the product's ActivitySource and
/// Meter, ASP.NET Core spans, the default sampler, the span processor that spreads the broadcast id
/// and hides secrets, and the exporters the environment asks for: Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is, the
/// local view (<c>/api/telemetry</c>) when <c>Telemetry__LocalView</c> is on, nothing otherwise.</summary>
public static class TelemetrySetup
{
    public const string ServiceName = "broadcast-functions";

    public static void AddBroadcastTelemetry(this IHostApplicationBuilder builder, AppForm form)
    {
        var config = builder.Configuration;
        var settings = TelemetrySettings.From(config);
        builder.Services.AddSingleton(settings);

        // ASP.NET Core writes several info lines per request; the server spans say the same, once. Configuration wins:
        // a level for Microsoft.AspNetCore, or a Default of Debug or Trace (someone is debugging: they get everything).
        var defaultLevel = config.GetValue<LogLevel?>("Logging:LogLevel:Default");
        if (config["Logging:LogLevel:Microsoft.AspNetCore"] is null && defaultLevel is not (LogLevel.Debug or LogLevel.Trace))
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (!settings.Enabled) return;

        var local = settings.LocalView ? new LocalTelemetry(settings.LocalViewSpans) : null;
        if (local is not null) builder.Services.AddSingleton(local);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"));
        // Under the host: each invocation's span, a child of the host's trace (the broadcast's, for its orchestration).
        if (form == AppForm.FunctionsWorker) otel.UseFunctionsWorkerDefaults();

        otel.WithTracing(tracing =>
        {
            // No HttpClient instrumentation: the product's vendor-call span is the HTTP client span of each vendor call
            // (method, server, status code, outcome), and HttpClient's own span under it cost a tenth of the send rate.
            tracing.AddSource(BroadcastTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => IsTracedRequest(context.Request));
            if (settings.TraceStorage)
            {
                // Azure SDK clients (storage v12) emit spans, HTTP ones included, from their own sources only when this switch is on.
                AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
                tracing.AddSource("Azure.*");
            }
            // OTEL_TRACES_SAMPLER (and _ARG) are read by the SDK itself when no sampler is set here.
            if (string.IsNullOrEmpty(config["OTEL_TRACES_SAMPLER"]))
            {
                tracing.SetSampler(new BroadcastSampler());
                BroadcastTelemetry.VendorCallSpanRatio = settings.VendorCallSampleRatio;
            }
            else BroadcastTelemetry.VendorCallSpanRatio = 1; // every call gets a span; the configured sampler decides
            // First, so that every exporter after it sees the inherited ids and the redacted values.
            tracing.AddProcessor(sp => new BroadcastSpanProcessor(sp.GetRequiredService<SecretRedactor>()));
            if (local is not null) tracing.AddProcessor(new SimpleActivityExportProcessor(local.Spans));
            if (settings.Otlp) tracing.AddOtlpExporter();
            if (settings.AzureMonitor) tracing.AddAzureMonitorTraceExporter(o => ConfigureAzureMonitor(o, settings));
        });

        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(BroadcastTelemetry.Name)
                .AddAspNetCoreInstrumentation();
            if (local is not null) metrics.AddReader(local.MetricReader);
            if (settings.Otlp) metrics.AddOtlpExporter();
            if (settings.AzureMonitor) metrics.AddAzureMonitorMetricExporter(o => ConfigureAzureMonitor(o, settings));
        });

        if (settings.Otlp || settings.AzureMonitor)
            otel.WithLogging(logging =>
            {
                if (settings.Otlp) logging.AddOtlpExporter();
                if (settings.AzureMonitor) logging.AddAzureMonitorLogExporter(o => ConfigureAzureMonitor(o, settings));
            }, o =>
            {
                o.IncludeScopes = true; // the broadcast id
                o.IncludeFormattedMessage = true;
            });

        builder.Services.AddHostedService<QueuedRecipientsGauge>();
    }

    /// <summary>The API's requests: not the health probe (every few seconds), not the dashboard's files or the local view.</summary>
    private static bool IsTracedRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        && !request.Path.StartsWithSegments("/api/health")
        && !request.Path.StartsWithSegments(Dashboard.DashboardApi.Path)
        && !request.Path.StartsWithSegments(LocalTelemetryApi.Path);


    private static void ConfigureAzureMonitor(AzureMonitorExporterOptions options, TelemetrySettings settings)
    {
        options.ConnectionString = settings.AppInsightsConnectionString;
        if (settings.AppInsightsCredential is { } credential) options.Credential = credential;
    }
}
