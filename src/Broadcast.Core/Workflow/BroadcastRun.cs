namespace Broadcast.Core.Workflow;

/// <summary>The input of a broadcast's orchestration: ids, counts and settings, never recipients (they stay in blob storage).</summary>
/// <param name="StartAt">started_at, when it is in the future at accept time.</param>
/// <param name="StartedHere">The accepting instance sends it itself (the fast path); the orchestration gives it a head start.</param>
/// <param name="RetryDelay">First wait before a failed batch activity runs again (Workflow__RetryDelay, doubling): an
/// input, so that the orchestration replays the same waits whatever the settings are later.</param>
/// <param name="Notify">It has a notify_url: once finished, <see cref="NotifyActivity"/> tells it, retried from
/// <paramref name="NotifyRetryDelay"/> (doubling, at most an hour apart) for <paramref name="NotifyRetryFor"/>.</param>
public sealed record BroadcastRun(string BroadcastId, int BatchCount, DateTime? StartAt, bool StartedHere, TimeSpan RetryDelay,
    bool Notify = false, TimeSpan? NotifyRetryDelay = null, TimeSpan? NotifyRetryFor = null);
