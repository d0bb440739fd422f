using System.Data.Common;
using Azure.Core;
using Azure.Identity;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Broadcast.Functions.Telemetry;

/// <summary>The telemetry settings, from configuration (environment variables as the Functions host passes them).</summary>
public sealed record TelemetrySettings(
    string? AppInsightsConnectionString,
    TokenCredential? AppInsightsCredential,
    bool Otlp,
    bool LocalView,
    int LocalViewSpans,
    double VendorCallSampleRatio,
    bool TraceStorage,
    bool Enabled)
{
    /// <summary>Successful vendor calls kept by the default sampler: 1 in 100 shows what a normal call looks like at
    /// a cost of 1,000 spans per 100,000 recipients. Failed calls are always kept.</summary>
    public const double DefaultVendorCallSampleRatio = 0.01;

    public bool AzureMonitor => !string.IsNullOrWhiteSpace(AppInsightsConnectionString);

    public static TelemetrySettings From(IConfiguration config)
    {
        var connectionString = config["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var otlp = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var localView = config.GetValue("Telemetry:LocalView", false);
        return new TelemetrySettings(
            connectionString,
            Credential(config["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]),
            otlp,
            localView,
            // Spans the local view keeps: a few broadcasts' skeletons and samples, bounded memory (~2 KB a span).
            Math.Clamp(config.GetValue("Telemetry:LocalViewSpans", 5000), 100, 100_000),
            Math.Clamp(config.GetValue("Telemetry:VendorCallSampleRatio", DefaultVendorCallSampleRatio), 0, 1),
            config.GetValue("Telemetry:TraceStorage", false),
            // Unset: on when something exports. Off means off: nothing listens to the product's source and meter, so
            // instrumented code does next to nothing.
            config.GetValue<bool?>("Telemetry:Enabled") ?? (otlp || localView || !string.IsNullOrWhiteSpace(connectionString)));
    }

    /// <summary><c>Authorization=AAD;ClientId=...</c> (what the Functions host reads, and what the Bicep sets where the
    /// workspace refuses keys): the app's user-assigned identity; <c>Authorization=AAD</c> alone: the system one.</summary>
    private static TokenCredential? Credential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)) return null;
        var parts = new DbConnectionStringBuilder();
        try { parts.ConnectionString = authenticationString; }
        catch (ArgumentException) { return null; }
        if (!parts.TryGetValue("Authorization", out var auth) || !string.Equals(auth as string, "AAD", StringComparison.OrdinalIgnoreCase)) return null;
        return parts.TryGetValue("ClientId", out var clientId) && clientId is string id && id.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(id))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
