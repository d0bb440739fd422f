using Broadcast.Core.Workflow;

namespace Broadcast.Functions;

/// <summary>A batch work item whose batch another worker holds goes back on its queue as a fresh message.</summary>
internal static class BusyWorkItem
{
    /// <summary>Half a second past the holder's lease, so the claim finds it over; at least a second, because queue
    /// delays are whole seconds and a shorter one would bring the item straight back.</summary>
    public static TimeSpan WaitFor(WorkItemBusyException busy, DateTimeOffset now)
    {
        var wait = busy.RetryAt - now + TimeSpan.FromMilliseconds(500);
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }
}
