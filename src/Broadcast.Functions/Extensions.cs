using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Suppressions;
using Broadcast.Functions.Apis;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;
using Broadcast.Core.Vendors.Khoros;
using Broadcast.Core.Vendors.Omnichat;
using Broadcast.Core.Vendors.Qiscus;
using Broadcast.Functions.Http;
using Broadcast.Core.Workflow;
using Broadcast.Storage;
using Microsoft.Extensions.Options;

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

        services.Configure<WorkflowOptions>(config.GetSection("Workflow"));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WorkflowOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IStorage>().Tables);
        services.AddSingleton<BroadcastStore>();
        services.AddSingleton<BatchStore>();
        services.AddSingleton<RecipientLog>();
        services.AddSingleton<ChannelThrottles>();
        services.AddSingleton(sp =>
        {
            var m = sp.GetRequiredService<IOptions<MessagingOptions>>().Value;
            return new RetryPolicy(Math.Max(1, m.MaxAttempts), m.RetryBaseDelay, m.RetryMaxDelay);
        });
        services.AddSingleton(sp => new VendorRegistry(
            sp.GetRequiredService<IOptions<QiscusOptions>>().Value,
            sp.GetRequiredService<IOptions<KhorosOptions>>().Value,
            sp.GetRequiredService<IOptions<OmnichatOptions>>().Value));
        services.AddSingleton<VendorSender>();
        services.AddSingleton<FanIn>();
        services.AddSingleton<CancelWatch>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<SuppressionList>();
        services.AddSingleton<MessageIndex>();
        services.AddSingleton<ReceiptStore>();
        services.Configure<CallbackOptions>(o =>
        {
            foreach (var provider in Providers.Names)
                o.Providers[provider] = new CallbackOptions.ProviderCallback { Secret = config[$"Callbacks:{provider}:Secret"] };
            o.OptOutKeywords = config["Callbacks:OptOutKeywords"] ?? o.OptOutKeywords;
        });
        services.AddSingleton(sp => new CallbackProcessor(sp.GetRequiredService<MessageIndex>(), sp.GetRequiredService<ReceiptStore>(),
            sp.GetRequiredService<BatchStore>(), sp.GetRequiredService<BroadcastStore>(), sp.GetRequiredService<SuppressionList>(),
            sp.GetRequiredService<IOptions<CallbackOptions>>().Value.Keywords, sp.GetRequiredService<IOptions<MessagingOptions>>().Value.DefaultCountryCode));
        services.AddSingleton<BroadcastWorkflow>();
        services.AddSingleton<WorkflowSteps>();
        services.AddSingleton(sp => new BroadcastIntake(
            sp.GetRequiredService<IStorage>(), sp.GetRequiredService<StorageNames>(), sp.GetRequiredService<BroadcastStore>(),
            sp.GetRequiredService<BroadcastWorkflow>(), sp.GetRequiredService<VendorRegistry>(), sp.GetRequiredService<WorkflowOptions>(),
            () => sp.GetService<IUploadCatalog>()));

        var underFunctionsHost = !string.IsNullOrEmpty(config["FUNCTIONS_CUSTOMHANDLER_PORT"]);
        if (!underFunctionsHost && config.GetValue("Workflow:RunListeners", true))
            services.AddHostedService<WorkflowListeners>();

        services.AddUploads();
        services.AddDrops();
    }

    public static string StorageConnectionString(IConfiguration config)
    {
        // Storage__ConnectionString lets the Functions host use its identity (AzureWebJobsStorage__accountName) while
        // this app, whose storage client only takes keys, keeps a connection string.
        var value = config["Storage:ConnectionString"];
        if (string.IsNullOrWhiteSpace(value)) value = config["AzureWebJobsStorage"];
        return string.IsNullOrWhiteSpace(value) ? "UseDevelopmentStorage=true" : value;
    }
}
