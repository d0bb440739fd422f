using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Infrastructure;

/// <summary>The real app, in-process, on a free loopback port, against the shared Azurite. Each instance gets its
/// own storage name prefix unless told to share one (two instances on one "account").</summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string ApiKey = "test-key-1";

    private readonly WebApplication _app;

    private TestApp(WebApplication app, Uri baseUrl, string prefix)
    {
        _app = app;
        BaseUrl = baseUrl;
        Prefix = prefix;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(100) };
        Client.DefaultRequestHeaders.Add("x-functions-key", ApiKey);
    }

    public Uri BaseUrl { get; }
    public string Prefix { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<TestApp> StartAsync(IDictionary<string, string?>? settings = null, string? prefix = null, Uri? sandbox = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var azurite = await Azurite.SharedAsync();
        prefix ??= NewPrefix();
        var all = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Storage:NamePrefix"] = prefix,
            // Several apps may share a prefix (scale tests): each is an instance of its own in the task hub.
            ["Workflow:WorkerId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Api:Keys"] = ApiKey + ",test-key-2",
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            // The whole suite shares one Azurite on a few cores, where a call can take seconds: the product's 2 s bound
            // would turn that into 503s. The outage tests set it back to the product's default.
            ["Storage:RequestTimeout"] = "00:00:15",
        };
        if (sandbox is not null)
        {
            var url = sandbox.ToString().TrimEnd('/');
            all["Vendors:Qiscus:BaseUrl"] = url;
            all["Vendors:Qiscus:AppId"] = "sandbox-qiscus-app";
            all["Vendors:Qiscus:SecretKey"] = "sandbox-qiscus-secret";
            all["Vendors:Qiscus:ChannelId"] = "534";
            all["Vendors:Khoros:BaseUrl"] = url;
            all["Vendors:Khoros:ApiKey"] = "sandbox-khoros-key";
            all["Vendors:Khoros:ChannelName"] = "whatsapp";
            all["Vendors:Khoros:ExternalId"] = "+10987654321";
            all["Vendors:Omnichat:BaseUrl"] = url;
            all["Vendors:Omnichat:ApiKey"] = "sandbox-omnichat-key";
            all["Vendors:Omnichat:DeviceKey"] = "bc8bae5a-0997-40a2-a827-b95adc714dd3";
        }
        if (settings is not null)
            foreach (var (k, v) in settings) all[k] = v;

        var app = BroadcastApp.Build([], all, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address.Replace("[::]", "127.0.0.1") + "/"), prefix);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => Client.PostAsJsonAsync(path, body);

    /// <summary>How long a test's app may take to stop gracefully: well under a second with storage up; with storage
    /// stopped (the outage tests) the host's 30 s default would be spent waiting for it.</summary>
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(5);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using (var stopping = new CancellationTokenSource(StopWithin)) await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
