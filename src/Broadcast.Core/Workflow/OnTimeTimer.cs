using Microsoft.DurableTask;

namespace Broadcast.Core.Workflow;

/// <summary>Durable timers that never end before their time. Azure Storage queues hide a message for whole seconds, so
/// that backend can deliver a timer up to a second early; a started_at is a promise to the user, so an early timer is
/// followed by one a second past the time, which rounded down still ends after it.</summary>
internal static class OnTimeTimer
{
    private static readonly TimeSpan QueueVisibilityGrain = TimeSpan.FromSeconds(1);

    /// <summary>Waits until <paramref name="fireAt"/> or <paramref name="other"/>, whichever comes first, and returns
    /// <paramref name="other"/> if it won; a timer left behind is canceled, so the instance completes without it.</summary>
    public static async Task<Task> FirstAsync(TaskOrchestrationContext context, DateTime fireAt, Task other)
    {
        using var timerCancel = new CancellationTokenSource();
        var timer = context.CreateTimer(fireAt, timerCancel.Token);
        if (await Task.WhenAny(timer, other) == timer && context.CurrentUtcDateTime < fireAt)
            timer = context.CreateTimer(fireAt + QueueVisibilityGrain, timerCancel.Token);
        if (await Task.WhenAny(timer, other) == timer) return timer;
        timerCancel.Cancel();
        return other;
    }
}
