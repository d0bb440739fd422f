using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Broadcast.Functions.Drops;

public static class DropServices
{
    /// <summary>Blob drops: the processor (for the watcher and the Functions host's blob trigger alike) and, standalone,
    /// the watcher (idle when Workflow__RunListeners is false).</summary>
    public static IServiceCollection AddDrops(this IServiceCollection services, bool watch)
    {
        services.AddOptions<DropOptions>().BindConfiguration(DropOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DropProcessor>();
        services.AddSingleton<IDropProcessor>(sp => sp.GetRequiredService<DropProcessor>());
        if (watch) services.AddHostedService<DropWatcher>();
        return services;
    }
}
