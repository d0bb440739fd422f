namespace Broadcast.Core.Workflow;

/// <summary>Settings section <c>Workflow</c>. The Durable Task engine's own (task hub, visibility timeouts, polling)
/// are in host.json's <c>extensions.durableTask</c>, where the Functions host reads them too.</summary>
public sealed class WorkflowOptions
{
    /// <summary>A batch whose activity ran this many times without finishing (its worker stopped each time, or it
    /// failed each try) fails its remaining recipients with the reason.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Recipients per batch: one activity, one row of outcomes. A multiple of 100, at most 1,000. Bigger
    /// batches mean fewer activities and storage operations per message (docs/benchmarks.md has the measurement
    /// behind the default).</summary>
    public int BatchSize { get; set; } = 500;

    public int PagesPerBatch => Math.Clamp(BatchSize / 100, 1, 10);

    /// <summary>First wait before a failed batch activity runs again; doubles each try.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Batches one process sends at once (the engine's activity concurrency); unset, host.json's
    /// <c>maxConcurrentActivityFunctions</c>.</summary>
    public int? MaxConcurrentBatches { get; set; }

    /// <summary>Send a message or small broadcast due now on the instance that accepts it, right after its
    /// orchestration is scheduled, which is the backstop. Off: everything waits for the orchestration.</summary>
    public bool FastPath { get; set; } = true;

    /// <summary>This instance's name in the task hub's partition leases; unset, the machine name, as Durable Functions
    /// names its workers. An instance restarted under the same name takes its partitions back at once (another name
    /// waits for the dead one's 30 s leases to lapse); instances running side by side need names of their own.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Run the standalone Durable Task worker (orchestrations and activities) in this process. Off: this
    /// instance serves the API only, and others send.</summary>
    public bool RunListeners { get; set; } = true;
}
