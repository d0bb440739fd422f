using Broadcast.Sandbox;

namespace Broadcast.Tests.Infrastructure;

/// <summary>A vendor sandbox and the app pointed at it, both on loopback, both stopped at the end.</summary>
public sealed class Stack : IAsyncDisposable
{
    private Stack(RunningSandbox sandbox, TestApp app)
    {
        Sandbox = sandbox;
        App = app;
    }

    public RunningSandbox Sandbox { get; }
    public TestApp App { get; }

    public static readonly IReadOnlyDictionary<string, string?> FastRetries = new Dictionary<string, string?>
    {
        ["Messaging:RetryBaseDelay"] = "00:00:00.050",
        ["Messaging:RetryMaxDelay"] = "00:00:00.500",
    };

    public static async Task<Stack> StartAsync(IDictionary<string, string?>? settings = null, Action<SandboxSettings>? sandbox = null,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var running = await SandboxApp.StartAsync(sandbox);
        var all = new Dictionary<string, string?>(FastRetries);
        if (settings is not null) foreach (var (k, v) in settings) all[k] = v;
        var app = await TestApp.StartAsync(all, sandbox: running.BaseUrl, configure: configure);
        return new Stack(running, app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
