namespace Broadcast.Sandbox;

/// <summary>A started in-process sandbox. Dispose to stop it.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    internal RunningSandbox(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        State = app.Services.GetRequiredService<SandboxState>();
    }

    /// <summary>For example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    public SandboxState State { get; }

    public SandboxSettings Settings => State.Settings;

    /// <summary>An HttpClient whose BaseAddress is <see cref="BaseUrl"/>; the caller disposes it.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
