using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Broadcast.Sandbox.Hosting;

/// <summary>The sandbox stands in for the vendors' servers. In tests and benchmarks it shares a process with the app,
/// whose OpenTelemetry listens process-wide to ASP.NET Core's activity source and meters by name: under names of its
/// own, the sandbox's requests are neither traced nor measured as the app's, as a real vendor's are not.</summary>
internal static class OwnDiagnostics
{
    private const string Prefix = "Broadcast.Sandbox.";

    public static IServiceCollection AddOwnDiagnosticNames(this IServiceCollection services)
    {
        // Registered after the web host's own, so these are the ones its hosting layer resolves.
        services.AddSingleton(new ActivitySource(Prefix + "Hosting"));
        services.AddSingleton(new DiagnosticListener(Prefix + "Hosting"));
        services.AddSingleton<IMeterFactory, PrefixedMeterFactory>();
        return services;
    }

    private sealed class PrefixedMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(Prefix + options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            lock (_meters) _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            lock (_meters) foreach (var meter in _meters) meter.Dispose();
        }
    }
}
