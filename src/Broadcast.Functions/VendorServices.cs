using Broadcast.Core.Vendors;
using Broadcast.Core.Vendors.Khoros;
using Broadcast.Core.Vendors.Omnichat;
using Broadcast.Core.Vendors.Qiscus;

namespace Broadcast.Functions;

/// <summary>The vendors the app sends through: one line each (docs/adding-a-vendor.md).</summary>
public static class VendorServices
{
    /// <param name="otherSecrets">Read when the registry is first needed: secrets no vendor error may show.</param>
    public static IServiceCollection AddVendors(this IServiceCollection services, IConfiguration config, Func<IEnumerable<string?>> otherSecrets)
    {
        services.AddVendor<QiscusClient, QiscusOptions>(config, "Qiscus", (options, http) => new(options, http));
        services.AddVendor<KhorosClient, KhorosOptions>(config, "Khoros", (options, http) => new(options, http));
        services.AddVendor<OmnichatClient, OmnichatOptions>(config, "Omnichat", (options, http) => new(options, http));

        services.AddSingleton(sp => new VendorRegistry(sp.GetServices<IVendorClient>(), otherSecrets()));
        return services;
    }

    /// <summary>A vendor: settings section <c>Vendors:{name}</c>, a typed client on the factory's pooled handler, and
    /// one adapter for the app's life (it holds no state but its options and client).</summary>
    public static IServiceCollection AddVendor<TClient, TOptions>(this IServiceCollection services, IConfiguration config, string name,
        Func<TOptions, HttpClient, TClient> create)
        where TClient : class, IVendorClient
        where TOptions : VendorOptions
    {
        services.Configure<TOptions>(config.GetSection($"Vendors:{name}"));
        services.AddHttpClient(name, VendorHttp.Configure)
            .ConfigurePrimaryHttpMessageHandler(VendorHttp.CreateHandler)
            // The handler recycles its own connections (PooledConnectionLifetime); the factory need not rotate it.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddTypedClient((http, sp) => create(sp.GetRequiredService<IOptions<TOptions>>().Value, http));
        services.AddSingleton<IVendorClient>(sp => sp.GetRequiredService<TClient>());
        return services;
    }
}
