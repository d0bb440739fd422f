using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors.Khoros;
using Broadcast.Core.Vendors.Omnichat;
using Broadcast.Core.Vendors.Qiscus;
using Broadcast.Functions.Http;
using Broadcast.Storage;

namespace Broadcast.Functions;

public static class Extensions
{
    public static readonly JsonSerializerOptions Json = ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        return options;
    }

    public static void AddBroadcastServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Broadcast Functions API";
            doc.Info.Description = "Send WhatsApp, SMS, RBM and Messenger messages and broadcasts through Qiscus Multichannel, Khoros Flow and Omnichat.";
            return Task.CompletedTask;
        }));

        services.Configure<ApiOptions>(config.GetSection("Api"));
        services.Configure<MessagingOptions>(config.GetSection("Messaging"));
        services.Configure<UploadOptions>(config.GetSection("Uploads"));
        services.Configure<QiscusOptions>(config.GetSection("Vendors:Qiscus"));
        services.Configure<KhorosOptions>(config.GetSection("Vendors:Khoros"));
        services.Configure<OmnichatOptions>(config.GetSection("Vendors:Omnichat"));

        var names = new StorageNames(config["Storage:NamePrefix"] ?? "");
        services.AddSingleton(names);
        services.AddSingleton<IStorage>(_ => new AzureStorage(StorageConnectionString(config), names));
        services.AddSingleton(sp => new RecipientSetReader(sp.GetRequiredService<IStorage>().Blobs));
        services.AddHostedService<StartupChecks>();
        services.AddUploads();
    }

    public static string StorageConnectionString(IConfiguration config)
    {
        var value = config["AzureWebJobsStorage"];
        return string.IsNullOrWhiteSpace(value) ? "UseDevelopmentStorage=true" : value;
    }
}
