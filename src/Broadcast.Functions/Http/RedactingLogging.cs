using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Broadcast.Functions.Http;

/// <summary>Puts every logger provider of the app behind <see cref="SecretRedactor"/>, so no log line carries a key,
/// at any level and from any category (ASP.NET Core's own "Request starting ... ?code=..." included).</summary>
public static class RedactingLogging
{
    /// <summary>Call after every provider is added (tests add theirs late): wraps each registered provider.</summary>
    public static void RedactSecretsInLogs(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => SecretRedactor.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        for (var i = 0; i < services.Count; i++)
        {
            var d = services[i];
            if (d.ServiceType != typeof(ILoggerProvider) || d.IsKeyedService) continue;
            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp =>
                new RedactingLoggerProvider(Create(sp, d), sp.GetRequiredService<SecretRedactor>()));
        }
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor d) =>
        (ILoggerProvider)(d.ImplementationInstance
            ?? d.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));
}
