namespace Broadcast.Core.Workflow;

/// <summary>The broadcasts this instance is sending itself, right after accepting them (the fast path of
/// <see cref="BroadcastWorkflow"/>): how many at once, and stopping them when the app stops (their orchestrations
/// are the backstop: a stopped fast path is finished by whichever instance runs them).</summary>
public sealed class FastPathRuns : IAsyncDisposable
{
    /// <summary>Fast paths running here at once, at most: a burst beyond this goes through the orchestrations, about
    /// ten orchestration episodes per message instead of two. A run is a small awaiting task and the channel's
    /// concurrency bounds the vendor calls, so this only has to hold a burst of 200 callers with room to spare.</summary>
    public const int MaxRunning = 512;

    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];

    private int _reserved;

    /// <summary>Takes a place if there is one; the caller then <see cref="Run"/>s or <see cref="Leave"/>s.</summary>
    public bool TryEnter()
    {
        lock (_running)
        {
            if (_stopping.IsCancellationRequested || _running.Count + _reserved >= MaxRunning) return false;
            _reserved++;
            return true;
        }
    }

    /// <summary>Runs <paramref name="start"/> in the background in the place <see cref="TryEnter"/> took.</summary>
    public void Run(Func<CancellationToken, Task> start)
    {
        lock (_running)
        {
            _reserved--;
            var task = Task.Run(() =>
            {
                // Background work from here on: storage is waited out, not timed out, and callers go first.
                Storage.StorageCallBudget.Set(null);
                Storage.StorageLanes.Enter(Storage.StorageLane.Background);
                return start(_stopping.Token);
            });
            _running.Add(task);
            task.ContinueWith(t =>
            {
                lock (_running) _running.Remove(t);
            }, TaskScheduler.Default);
        }
    }

    /// <summary>Gives back a place taken by <see cref="TryEnter"/> without running anything.</summary>
    public void Leave()
    {
        lock (_running) _reserved = Math.Max(0, _reserved - 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_running) running = [.. _running];
        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Stopped or failed: their orchestrations finish them.
        }
        _stopping.Dispose();
    }
}
