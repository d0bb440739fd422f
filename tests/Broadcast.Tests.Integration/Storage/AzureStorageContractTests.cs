using Azure.Core;
using Broadcast.Core.Storage;
using Broadcast.Storage;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Integration.Storage;

/// <summary>The storage contract over a connection string (account key), against Azurite.</summary>
public sealed class ConnectionStringStorageContractTests : StorageContract
{
    protected override async Task<IStorage> CreateAsync(StorageNames names) =>
        StorageFor(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = (await Azurite.SharedAsync()).ConnectionString }, names,
            expectedMode: "connection-string");

    internal static IStorage StorageFor(Dictionary<string, string?> settings, StorageNames names, string expectedMode,
        TokenCredential? credential = null, HttpPipelineTransportHolder? transport = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddBroadcastStorage(config, names);
        if (credential is not null || transport is not null)
            services.AddAzureClients(clients =>
            {
                if (credential is not null) clients.UseCredential(credential);
                if (transport is not null) clients.ConfigureDefaults(o => o.Transport = transport.Transport);
            });
        var provider = services.BuildServiceProvider();
        Assert.Equal(expectedMode, provider.GetRequiredService<StorageConnectionInfo>().Mode);
        return provider.GetRequiredService<IStorage>();
    }
}

public sealed record HttpPipelineTransportHolder(Azure.Core.Pipeline.HttpPipelineTransport Transport);

/// <summary>The same contract with identity: service URIs in <c>AzureWebJobsStorage__*ServiceUri</c> and a
/// <see cref="TokenCredential"/>, against Azurite in OAuth mode (HTTPS, bearer tokens). Azurite 3.37 accepts
/// OAuth on blobs, queues and tables alike, so every service's identity path runs here.</summary>
public sealed class TokenCredentialStorageContractTests : StorageContract, IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Azurite? _azurite;

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try { _azurite ??= await Azurite.StartWithOAuthAsync(); }
        finally { Gate.Release(); }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected override Task<IStorage> CreateAsync(StorageNames names)
    {
        var azurite = _azurite!;
        var oauth = azurite.OAuth!;
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:blobServiceUri"] = $"https://127.0.0.1:{azurite.BlobPort}/devstoreaccount1",
            ["AzureWebJobsStorage:queueServiceUri"] = $"https://127.0.0.1:{azurite.QueuePort}/devstoreaccount1",
            ["AzureWebJobsStorage:tableServiceUri"] = $"https://127.0.0.1:{azurite.TablePort}/devstoreaccount1",
        };
        return Task.FromResult(ConnectionStringStorageContractTests.StorageFor(settings, names, "identity", oauth.Credential,
            new HttpPipelineTransportHolder(oauth.Transport())));
    }

    [Fact]
    public async Task Every_call_is_signed_with_a_bearer_token_and_a_request_without_one_is_refused()
    {
        var names = new StorageNames("t" + Guid.NewGuid().ToString("N")[..10]);
        var storage = await CreateAsync(names);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var credential = (AzuriteOAuth.AzuriteTokenCredential)_azurite!.OAuth!.Credential;
        Assert.True(credential.Issued > 0);

        using var http = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });
        // The same Azurite refuses calls to each service that carry no token, or a token for another audience.
        var calls = new[]
        {
            $"https://127.0.0.1:{_azurite.QueuePort}/devstoreaccount1/any-queue/messages",
            $"https://127.0.0.1:{_azurite.BlobPort}/devstoreaccount1/{names.UploadsContainer}?restype=container&comp=list",
            $"https://127.0.0.1:{_azurite.TablePort}/devstoreaccount1/{names.BroadcastsTable}()",
        };
        foreach (var uri in calls)
        {
            using var anonymous = new HttpRequestMessage(HttpMethod.Get, uri);
            anonymous.Headers.Add("x-ms-version", "2021-12-02");
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.SendAsync(anonymous)).StatusCode);

            using var wrongAudience = new HttpRequestMessage(HttpMethod.Get, uri);
            wrongAudience.Headers.Add("x-ms-version", "2021-12-02");
            wrongAudience.Headers.Authorization = new("Bearer", AzuriteOAuth.AzuriteTokenCredential.Jwt(DateTimeOffset.UtcNow.AddHours(1), "https://vault.azure.net"));
            var refused = await http.SendAsync(wrongAudience);
            Assert.True(refused.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized,
                $"{uri}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
        }
    }
}
