using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Broadcast.Core.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broadcast.Storage;

/// <summary>Registers the storage clients from configuration the way the Functions host reads its own
/// <c>AzureWebJobsStorage</c> connection, so one set of settings serves the host and the app:
/// <list type="bullet">
/// <item>a connection string in <c>AzureWebJobsStorage</c> (or <c>Storage__ConnectionString</c>), <c>UseDevelopmentStorage=true</c> by default;</item>
/// <item>or identity: <c>AzureWebJobsStorage__accountName</c>, or <c>__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c>,
/// with <c>__credential=managedidentity</c> and <c>__clientId</c> for a user-assigned identity (DefaultAzureCredential otherwise).</item>
/// </list></summary>
public static class StorageRegistration
{
    public const string ConnectionName = "AzureWebJobsStorage";
    private const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static IServiceCollection AddBroadcastStorage(this IServiceCollection services, IConfiguration config, StorageNames names,
        StorageClientSettings? settings = null)
    {
        settings ??= new StorageClientSettings();
        var (info, blob, queue, table) = Sections(config);
        var answers = new StorageAnswers();
        services.AddSingleton(info);
        services.AddSingleton(answers);
        // This app's gates, made and owned by its container: nothing outside it is configured while registering.
        services.AddSingleton(_ => StorageCallGates.From(settings));
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(blob).ConfigureOptions(o => settings.Apply(o, answers));
            clients.AddTableServiceClient(table).ConfigureOptions(o => settings.Apply(o, answers));
            // No UseCredential: Microsoft.Extensions.Azure builds each client's credential from its own section
            // (credential=managedidentity, clientId, ...), DefaultAzureCredential when none is named.
        });
        // The SDK logs every non-2xx answer as a warning, and the product expects many of them (409 on a key already
        // claimed, 412 on a lost ETag race, 404 on a missing blob); failures that matter reach our code as exceptions.
        services.AddLogging(logging => logging.AddFilter("Azure.Core", LogLevel.Error));
        services.AddSingleton<IStorage>(sp => new AzureStorage(
            sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<TableServiceClient>(), names,
            sp.GetRequiredService<StorageCallGates>(), answers));
        return services;
    }

    /// <summary>One configuration section per client, in the shape Microsoft.Extensions.Azure reads: a connection
    /// string as the section's value, or <c>serviceUri</c> plus the credential settings.</summary>
    private static (StorageConnectionInfo Info, IConfiguration Blob, IConfiguration Queue, IConfiguration Table) Sections(IConfiguration config)
    {
        var host = config.GetSection(ConnectionName);
        var connectionString = config["Storage:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = host.Value;
        var identity = string.IsNullOrWhiteSpace(connectionString)
            && (host["accountName"] is { Length: > 0 } || host["blobServiceUri"] is { Length: > 0 } || host["serviceUri"] is { Length: > 0 });
        if (!identity)
        {
            var value = string.IsNullOrWhiteSpace(connectionString) ? DevelopmentStorage : connectionString;
            var section = Section(new() { [""] = value });
            var info = new StorageConnectionInfo("connection-string",
                Endpoint(new BlobServiceClient(value).Uri), Endpoint(new QueueServiceClient(value).Uri), Endpoint(new TableServiceClient(value).Uri));
            return (info, section, section, section);
        }

        var account = host["accountName"];
        Uri ServiceUri(string key, string service) =>
            host[key] is { Length: > 0 } uri ? new Uri(uri)
            : account is { Length: > 0 } ? new Uri($"https://{account}.{service}.core.windows.net")
            : throw new InvalidOperationException($"{ConnectionName}__{key} (or {ConnectionName}__accountName) is required for identity-based storage.");
        var blobUri = host["blobServiceUri"] is { Length: > 0 } ? ServiceUri("blobServiceUri", "blob") : host["serviceUri"] is { Length: > 0 } s ? new Uri(s) : ServiceUri("blobServiceUri", "blob");
        var queueUri = ServiceUri("queueServiceUri", "queue");
        var tableUri = ServiceUri("tableServiceUri", "table");
        // The key is the client constructor's parameter name: serviceUri for blobs and queues, endpoint for tables.
        IConfiguration WithUri(Uri uri, string key = "serviceUri")
        {
            var values = host.GetChildren().Where(c => c.Value is not null && !c.Key.EndsWith("ServiceUri", StringComparison.OrdinalIgnoreCase)
                                                       && c.Key != "accountName")
                .ToDictionary(c => c.Key, c => c.Value);
            values[key] = uri.ToString();
            return Section(values);
        }
        return (new StorageConnectionInfo("identity", Endpoint(blobUri), Endpoint(queueUri), Endpoint(tableUri)),
            WithUri(blobUri), WithUri(queueUri), WithUri(tableUri, "endpoint"));
    }

    private static IConfiguration Section(Dictionary<string, string?> values)
    {
        var root = new ConfigurationBuilder().AddInMemoryCollection(values.Select(kv =>
            new KeyValuePair<string, string?>(kv.Key.Length == 0 ? "storage" : $"storage:{kv.Key}", kv.Value))).Build();
        return root.GetSection("storage");
    }

    private static string Endpoint(Uri uri) => uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
