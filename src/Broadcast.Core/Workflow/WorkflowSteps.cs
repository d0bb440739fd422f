using System.Collections.Concurrent;
using System.Diagnostics;
using Broadcast.Core.Telemetry;
using Microsoft.Extensions.Logging;
using A = Broadcast.Core.Telemetry.BroadcastTelemetry.Attributes;

namespace Broadcast.Core.Workflow;

/// <summary>The queue-triggered functions: what a work item of each queue runs. The standalone listeners and
/// the Functions host's invocations both call these, so both run the very same step code. Each step is a span in
/// the broadcast's trace (the work item carries its context) and logs within the broadcast's scope.</summary>
public sealed class WorkflowSteps(BroadcastWorkflow workflow, TimeProvider time, ILogger<WorkflowSteps> log)
{
    /// <summary>Which instance ran a step, on its span: process and host, never anything secret.</summary>
    private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Broadcasts of one group commit started at once, at most: enough to overlap their storage calls.</summary>
    private const int GroupStartParallelism = 16;

    /// <summary>A start item may start several broadcasts accepted together: each starts on its own, and if any
    /// failed the item is tried again; the ones already started find themselves running and carry on from there.</summary>
    public async Task RunStartAsync(string content, IWorkItemLease lease, CancellationToken ct)
    {
        var items = StartWorkItem.Parse(content).Each();
        if (items.Count == 1)
        {
            await RunOneStartAsync(items[0], lease, ct);
            return;
        }
        var failures = new ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = GroupStartParallelism, CancellationToken = ct },
            async (item, c) =>
            {
                try { await RunOneStartAsync(item, lease, c); }
                catch (Exception e) when (e is not OperationCanceledException || !c.IsCancellationRequested) { failures.Enqueue(e); }
            });
        if (!failures.IsEmpty) throw new AggregateException($"{failures.Count} of {items.Count} broadcasts did not start", failures);
    }

    private async Task RunOneStartAsync(StartWorkItem item, IWorkItemLease lease, CancellationToken ct)
    {
        using var scope = log.BeginBroadcastScope(item.BroadcastId);
        using var span = Start(BroadcastTelemetry.Spans.StartStep, item.BroadcastId, item.TraceParent, null, lease);
        try
        {
            if (!await workflow.RunStartAsync(item, lease, ct)) span?.SetStatus(ActivityStatusCode.Error, "gave up");
        }
        catch (Exception e)
        {
            span.RecordError(e);
            throw;
        }
    }

    public async Task RunBatchAsync(string content, IWorkItemLease lease, CancellationToken ct)
    {
        var item = BatchWorkItem.Parse(content);
        using var scope = log.BeginBroadcastScope(item.BroadcastId);
        using var span = Start(BroadcastTelemetry.Spans.BatchStep, item.BroadcastId, item.TraceParent, item.Batch, lease);
        var started = time.GetTimestamp();
        var result = "done";
        try
        {
            await workflow.RunBatchAsync(item, lease, ct);
        }
        catch (WorkItemBusyException)
        {
            result = "busy";
            throw;
        }
        catch (Exception e)
        {
            result = "failed";
            span.RecordError(e);
            throw;
        }
        finally
        {
            span?.SetTag(A.Result, result);
            BroadcastMetrics.BatchDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(A.Result, result));
        }
    }

    private Activity? Start(string name, string broadcastId, string? traceParent, int? batch, IWorkItemLease lease)
    {
        var span = BroadcastTelemetry.StartStep(name, broadcastId, traceParent, batch);
        if (span is null) return null;
        span.SetTag(A.Worker, _worker);
        span.SetTag(A.Try, lease.DequeueCount);
        return span;
    }
}
