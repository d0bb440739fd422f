using System.Collections.Concurrent;

namespace Broadcast.Core.Workflow;

/// <summary>Lets a caller in this process wait for a broadcast to finish (a single message's <c>?wait=</c>)
/// without polling storage: the fan-in here announces what it finished. Broadcasts finished by another process
/// are not announced; callers poll as well.</summary>
public sealed class BroadcastCompletions
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();

    public void Finished(string broadcastId)
    {
        if (_waiting.TryRemove(broadcastId, out var done)) done.TrySetResult();
    }

    /// <summary>Completes when this process finishes the broadcast, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(string broadcastId, TimeSpan timeout, CancellationToken ct)
    {
        var done = _waiting.GetOrAdd(broadcastId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await done.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Stop waiting for a broadcast (the waiter saw it finished some other way or gave up).</summary>
    public void Forget(string broadcastId)
    {
        if (_waiting.TryGetValue(broadcastId, out var done) && !done.Task.IsCompleted)
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource>(broadcastId, done));
    }
}
