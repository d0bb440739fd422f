using System.Collections.Concurrent;
using Broadcast.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>The fan-in: brings batch outcomes into their broadcast's counters. A finished batch is counted once
/// and closes the broadcast when it is the last; a batch still sending reports what it has committed so far, so the
/// counters move while it runs. Everything waiting for one broadcast in this process goes into one ETag write of
/// its row (group commit), progress at most every <see cref="ProgressEvery"/>, finished batches at once.</summary>
public sealed class FanIn(BroadcastStore broadcasts, BroadcastCompletions completions, TimeProvider time, ILogger<FanIn> log)
{
    /// <summary>Progress costs one write of the broadcast row per process per this long, whatever the rate or the
    /// number of batches; with <see cref="BatchSending.CommitEvery"/> it keeps counters within 2 s of the vendor,
    /// with a second to spare for slow storage round trips.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, Pending> _pending = new();

    private sealed class Pending
    {
        public readonly List<(int Batch, Tally Tally, TaskCompletionSource Done)> Finished = [];
        public readonly Dictionary<int, Tally> Progress = [];
        public bool Flushing;
        public bool Retired;
        public TaskCompletionSource Kick = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public DateTimeOffset LastWrite = DateTimeOffset.MinValue;
        /// <summary>The row as this process last wrote it: the next write needs no read unless someone else wrote.</summary>
        public BroadcastRecord? Known;
    }

    /// <summary>Completes once the batch is durably counted (or already was). <paramref name="known"/>: the row as the
    /// caller read it, which saves reading it again when nobody wrote it since (a small broadcast's usual case).</summary>
    public Task CountAsync(string broadcastId, int batch, Tally tally, BroadcastRecord? known = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(broadcastId, p =>
        {
            if (known is not null) p.Known ??= BroadcastRecord.FromRow(known.ToRow()); // a copy: the flush changes it
            p.Finished.Add((batch, tally, done));
            p.Kick.TrySetResult();
        });
        return done.Task;
    }

    /// <summary>A batch still sending has durably committed <paramref name="tally"/>; shown within <see cref="ProgressEvery"/>.</summary>
    public void Progress(string broadcastId, int batch, Tally tally)
    {
        if (tally.Total == 0) return;
        Enqueue(broadcastId, p =>
        {
            if (!p.Progress.TryGetValue(batch, out var known) || known.Total < tally.Total) p.Progress[batch] = tally;
        });
    }

    private void Enqueue(string broadcastId, Action<Pending> add)
    {
        while (true)
        {
            var pending = _pending.GetOrAdd(broadcastId, _ => new Pending());
            bool start;
            lock (pending)
            {
                if (pending.Retired) continue; // its flusher just let it go: take a fresh one
                add(pending);
                start = !pending.Flushing;
                pending.Flushing = true;
            }
            if (start) _ = Task.Run(() => FlushAsync(broadcastId, pending));
            return;
        }
    }

    /// <summary>What to write now, or how long to wait for the next progress write, or that there is nothing left.</summary>
    private (bool Idle, TimeSpan Wait, Task Kick, List<(int Batch, Tally Tally, TaskCompletionSource Done)> Finished, Dictionary<int, Tally> Progress)
        Take(string broadcastId, Pending pending)
    {
        lock (pending)
        {
            if (pending.Finished.Count == 0 && pending.Progress.Count == 0)
            {
                pending.Flushing = false;
                if (pending.Known?.CompletedAt is not null) Retire(broadcastId, pending);
                return (true, default, Task.CompletedTask, [], []);
            }
            var wait = pending.Finished.Count > 0 ? TimeSpan.Zero : pending.LastWrite + ProgressEvery - time.GetUtcNow();
            if (wait > TimeSpan.Zero) return (false, wait, pending.Kick.Task, [], []);
            var finished = new List<(int Batch, Tally Tally, TaskCompletionSource Done)>(pending.Finished);
            var progress = new Dictionary<int, Tally>(pending.Progress);
            pending.Finished.Clear();
            pending.Progress.Clear();
            if (pending.Kick.Task.IsCompleted) pending.Kick = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return (false, TimeSpan.Zero, Task.CompletedTask, finished, progress);
        }
    }

    /// <summary>Caller holds the lock.</summary>
    private void Retire(string broadcastId, Pending pending)
    {
        pending.Retired = true;
        _pending.TryRemove(new KeyValuePair<string, Pending>(broadcastId, pending));
    }

    /// <summary>Forgets broadcasts nobody here reported on for a minute (finished elsewhere, or stopped here).</summary>
    private void RetireIdle()
    {
        var stale = time.GetUtcNow() - TimeSpan.FromMinutes(1);
        foreach (var (id, pending) in _pending)
            lock (pending)
                if (!pending.Flushing && pending.LastWrite < stale) Retire(id, pending);
    }

    private async Task FlushAsync(string broadcastId, Pending pending)
    {
        while (true)
        {
            var (idle, wait, kick, finished, progress) = Take(broadcastId, pending);
            if (idle)
            {
                RetireIdle();
                return;
            }
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(wait, time), kick); // a finished batch does not wait for the next progress write
                continue;
            }

            try
            {
                var finishedNow = false;
                var record = await broadcasts.UpdateAsync(broadcastId, r =>
                {
                    var wasFinished = r.CompletedAt is not null;
                    var changed = false;
                    var now = time.GetUtcNow();
                    foreach (var (batch, tally, _) in finished) changed |= r.Count(batch, tally, now);
                    foreach (var (batch, tally) in progress) changed |= r.Progress(batch, tally);
                    finishedNow = !wasFinished && r.CompletedAt is not null;
                    return changed;
                }, CancellationToken.None, pending.Known);
                pending.Known = record;
                pending.LastWrite = time.GetUtcNow();
                foreach (var item in finished) item.Done.TrySetResult();
                if (record?.CompletedAt is not null) completions.Finished(broadcastId);
                if (finishedNow && record is not null)
                    log.BroadcastFinished(record.Id, record.Status, record.Sent, record.Failed, record.Unknown, record.Suppressed, record.Canceled,
                        ((record.CompletedAt ?? time.GetUtcNow()) - (record.StartedAt ?? record.Definition.CreatedAt)).TotalSeconds);
            }
            catch (Exception e)
            {
                pending.Known = null;
                pending.LastWrite = time.GetUtcNow(); // progress tries again at the next turn, not in a tight loop
                foreach (var item in finished) item.Done.TrySetException(e);
                log.LogWarning("Could not update the counters of broadcast {Broadcast}: {Error}", broadcastId, e.Message);
                lock (pending)
                {
                    foreach (var (b, t) in progress)
                        if (!pending.Progress.TryGetValue(b, out var newer) || newer.Total < t.Total) pending.Progress[b] = t;
                }
            }
        }
    }
}
