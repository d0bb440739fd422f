namespace Broadcast.Core.Workflow;

/// <summary>The app is stopping: activities and fast paths stop where they are (their batch rows hold what they
/// committed, and the engine runs them again elsewhere or after a restart).</summary>
public sealed class WorkflowShutdown : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken Stopping => _stopping.Token;

    public void Stop() => _stopping.Cancel();

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
