using System.Collections.Concurrent;

namespace Broadcast.Core.Workflow;

/// <summary>The fan-in: adds each finished batch's tally to its broadcast's counters and closes the broadcast
/// when every recipient has an outcome. Batches finishing together in this process are folded into one ETag
/// write of the broadcast row (group commit), instead of one contended write per batch.</summary>
public sealed class FanIn(BroadcastStore broadcasts)
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new();

    private sealed class Pending
    {
        public readonly List<(int Batch, Tally Tally, TaskCompletionSource Done)> Items = [];
        public bool Flushing;
    }

    /// <summary>Completes once the batch is durably counted (or already was).</summary>
    public Task CountAsync(string broadcastId, int batch, Tally tally)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _pending.GetOrAdd(broadcastId, _ => new Pending());
        bool start;
        lock (pending)
        {
            pending.Items.Add((batch, tally, done));
            start = !pending.Flushing;
            pending.Flushing = true;
        }
        if (start) _ = Task.Run(() => FlushAsync(broadcastId, pending));
        return done.Task;
    }

    private async Task FlushAsync(string broadcastId, Pending pending)
    {
        while (true)
        {
            List<(int Batch, Tally Tally, TaskCompletionSource Done)> items;
            lock (pending)
            {
                if (pending.Items.Count == 0)
                {
                    pending.Flushing = false;
                    return;
                }
                items = [.. pending.Items];
                pending.Items.Clear();
            }
            try
            {
                await broadcasts.UpdateAsync(broadcastId, record =>
                {
                    var changed = false;
                    var now = DateTimeOffset.UtcNow;
                    foreach (var (batch, tally, _) in items) changed |= record.Count(batch, tally, now);
                    return changed;
                }, CancellationToken.None);
                foreach (var item in items) item.Done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var item in items) item.Done.TrySetException(e);
            }
        }
    }
}
