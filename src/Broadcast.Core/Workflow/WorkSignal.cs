namespace Broadcast.Core.Workflow;

/// <summary>Wakes this process's batch listener as soon as it enqueues batches, so that a broadcast's first
/// vendor call does not wait for the next idle poll.</summary>
public sealed class WorkSignal(TimeProvider time)
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => Volatile.Read(ref _next).Task.WaitAsync(timeout, time, ct);
}
