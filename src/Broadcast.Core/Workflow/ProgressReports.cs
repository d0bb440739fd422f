using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>Brings what batches have committed into their broadcast's live counters (<see cref="BroadcastProgress"/>).
/// Everything reported for one broadcast in this process goes into one write per <see cref="ProgressEvery"/>, whatever
/// the rate or the number of batches; a batch's last report is written at once and awaited, so that a counter never
/// misses a batch whose activity has answered.</summary>
public sealed class ProgressReports(BroadcastStore broadcasts, TimeProvider time, ILogger<ProgressReports> log)
{
    /// <summary>With <see cref="BatchSending.CommitEvery"/>, keeps the counters within 2 s of the vendor's answers,
    /// with a second to spare for slow storage round trips.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, Pending> _pending = new();

    private sealed class Pending
    {
        public readonly Dictionary<int, Tally> Tallies = [];
        public readonly List<TaskCompletionSource> Waiting = [];
        public bool Flushing;
        /// <summary>Let go when idle (so the map holds only broadcasts reporting now); a late report takes a fresh one.</summary>
        public bool Retired;
        public DateTimeOffset LastWrite = DateTimeOffset.MinValue;
        public TaskCompletionSource Kick = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A batch still sending has durably committed <paramref name="tally"/>; shown within <see cref="ProgressEvery"/>.</summary>
    public void Report(string broadcastId, int batch, Tally tally)
    {
        if (tally.Total > 0) Enqueue(broadcastId, batch, tally, null);
    }

    /// <summary>A batch's final tally: written now; completes when it is.</summary>
    public Task ReportFinalAsync(string broadcastId, int batch, Tally tally)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(broadcastId, batch, tally, written);
        return written.Task;
    }

    private void Enqueue(string broadcastId, int batch, Tally tally, TaskCompletionSource? written)
    {
        Pending pending;
        bool start;
        while (true)
        {
            pending = _pending.GetOrAdd(broadcastId, _ => new Pending());
            Monitor.Enter(pending);
            if (!pending.Retired) break;
            Monitor.Exit(pending);
        }
        try
        {
            // Outcomes only ever become terminal: the larger tally of a batch is the newer one.
            if (!pending.Tallies.TryGetValue(batch, out var known) || known.Total <= tally.Total) pending.Tallies[batch] = tally;
            if (written is not null)
            {
                pending.Waiting.Add(written);
                pending.Kick.TrySetResult();
            }
            start = !pending.Flushing;
            pending.Flushing = true;
        }
        finally
        {
            Monitor.Exit(pending);
        }
        if (start) _ = Task.Run(() => FlushAsync(broadcastId, pending));
    }

    private async Task FlushAsync(string broadcastId, Pending pending)
    {
        while (true)
        {
            Dictionary<int, Tally> tallies;
            List<TaskCompletionSource> waiting;
            Task kick;
            TimeSpan wait;
            lock (pending)
            {
                if (pending.Tallies.Count == 0)
                {
                    pending.Flushing = false;
                    pending.Retired = true;
                    _pending.TryRemove(new KeyValuePair<string, Pending>(broadcastId, pending));
                    return;
                }
                wait = pending.Waiting.Count > 0 ? TimeSpan.Zero : pending.LastWrite + ProgressEvery - time.GetUtcNow();
                kick = pending.Kick.Task;
                tallies = wait > TimeSpan.Zero ? [] : new Dictionary<int, Tally>(pending.Tallies);
                waiting = wait > TimeSpan.Zero ? [] : [.. pending.Waiting];
                if (wait <= TimeSpan.Zero)
                {
                    pending.Tallies.Clear();
                    pending.Waiting.Clear();
                    if (kick.IsCompleted) pending.Kick = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(wait, time), kick); // a batch's last report does not wait for the next turn
                continue;
            }

            try
            {
                await broadcasts.ReportProgressAsync(broadcastId, tallies, CancellationToken.None);
                foreach (var w in waiting) w.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var w in waiting) w.TrySetException(e);
                log.LogWarning("Could not update the counters of broadcast {Broadcast}: {Error}", broadcastId, e.Message);
                lock (pending)
                {
                    foreach (var (batch, tally) in tallies)
                        if (!pending.Tallies.TryGetValue(batch, out var newer) || newer.Total < tally.Total) pending.Tallies[batch] = tally;
                }
            }
            finally
            {
                pending.LastWrite = time.GetUtcNow(); // a failed write is tried again at the next turn, not in a tight loop
            }
        }
    }
}
