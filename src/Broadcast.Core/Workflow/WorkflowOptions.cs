namespace Broadcast.Core.Workflow;

/// <summary>Settings section <c>Workflow</c>.</summary>
public sealed class WorkflowOptions
{
    /// <summary>How long a worker holds a work item (queue visibility and batch lease) before another may take it
    /// over; renewed while the worker is alive, so it bounds how soon work resumes after a crash.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A work item received this many times without finishing fails its remaining recipients with the reason.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Recipients per batch: one queue work item, one lease, one row of outcomes. A multiple of 100, at
    /// most 1,000. Bigger batches mean fewer storage operations per message.</summary>
    public int BatchSize { get; set; } = 500;

    public int PagesPerBatch => Math.Clamp(BatchSize / 100, 1, 10);

    /// <summary>First wait before a failed work item is tried again; doubles each try, capped at the visibility timeout.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Batches one process works on at once.</summary>
    public int MaxConcurrentBatches { get; set; } = 16;

    /// <summary>Longest wait between two looks at an idle queue.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Start a message or small broadcast due now on the instance that accepts it, right after the durable
    /// writes, with its queue items as the backstop. Off: everything waits for a queue poll.</summary>
    public bool FastPath { get; set; } = true;

    /// <summary>Run the product's own queue listeners (standalone host). Off under the Functions host, whose
    /// triggers deliver the same work items.</summary>
    public bool RunListeners { get; set; } = true;
}
