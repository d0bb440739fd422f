using Broadcast.Core.Uploads;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Broadcast.Functions.Uploads;

public static class UploadServices
{
    public static IServiceCollection AddUploads(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UploadCatalog>();
        services.AddSingleton<IUploadCatalog>(sp => sp.GetRequiredService<UploadCatalog>());
        services.AddSingleton<UploadImporter>();
        return services;
    }
}
