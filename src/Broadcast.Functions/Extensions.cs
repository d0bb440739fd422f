using Broadcast.Functions.Drops;
using Broadcast.Functions.Uploads;
using Broadcast.Functions.Hosting;
using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Functions.OpenApi;
using Broadcast.Core.Workflow;
using Broadcast.Storage;
using Broadcast.Durable;

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
        options.AllowDuplicateProperties = false; // "to" twice is a 400 naming it, not the last one silently
        return options;
    }

    public static void AddBroadcastServices(this IHostApplicationBuilder builder, AppForm form)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        // API bodies refuse a field they do not declare (a 400 naming it, ProblemExceptionHandler): a misspelt
        // "started_at" ignored would send at once.
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions).UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddApiContract();

        services.Configure<ApiOptions>(config.GetSection("Api"));
        services.Configure<MessagingOptions>(config.GetSection("Messaging"));
        services.Configure<UploadOptions>(config.GetSection("Uploads"));
        services.AddVendors(config, () => OtherSecrets(config));

        var names = new StorageNames(config["Storage:NamePrefix"] ?? "");
        services.AddSingleton(names);
        services.AddBroadcastStorage(config, names, config.GetSection("Storage").Get<StorageClientSettings>());
        services.AddHostedService<StartupChecks>();

        services.Configure<WorkflowOptions>(config.GetSection("Workflow"));
        services.Configure<PacingOptions>(config.GetSection("Pacing"));
        services.Configure<CallbackOptions>(o =>
        {
            foreach (var provider in Providers.Names)
                o.Providers[provider] = new CallbackOptions.ProviderCallback { Secret = config[$"Callbacks:{provider}:Secret"] };
            o.OptOutKeywords = config["Callbacks:OptOutKeywords"] ?? o.OptOutKeywords;
        });
        services.AddBroadcastWorkflow();
        if (form == AppForm.Standalone) services.AddStandaloneDurableEngine(config, HostJson());
        else services.AddSingleton(new DurableClientSource());

        services.AddUploads();
        services.AddDrops(watch: form == AppForm.Standalone);
    }

    /// <summary>The host.json the app was built with (the repository's), carried inside the assembly.</summary>
    public static string HostJson()
    {
        using var stream = typeof(Extensions).Assembly.GetManifestResourceStream("host.json")
            ?? throw new InvalidOperationException("host.json is not embedded in the app");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Secrets a vendor never sees but could still echo (callback secrets and API keys travel in URLs).</summary>
    private static IEnumerable<string?> OtherSecrets(IConfiguration config) =>
        Providers.Names.Select(p => config[$"Callbacks:{p}:Secret"])
            .Concat(config.GetSection("Api").Get<ApiOptions>()?.KeyList ?? []);
}
