using System.Diagnostics.Metrics;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Telemetry;

/// <summary>Feeds <c>broadcast.recipients.queued</c>: every <see cref="DefaultEvery"/>, one look at the most recent
/// broadcasts' rows, summing the recipients still queued per status of the unfinished ones. Every instance reports
/// the same cluster-wide figure (take the max across instances, not the sum).</summary>
internal sealed class QueuedRecipientsGauge(BroadcastStore broadcasts, IConfiguration config, ILogger<QueuedRecipientsGauge> log) : BackgroundService
{
    /// <summary>Often enough for a dashboard, rarely enough that the scan (a few table pages) costs nothing
    /// (<c>Telemetry__QueuedRecipientsEvery</c>).</summary>
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromSeconds(30);

    /// <summary>The newest broadcasts looked at: unfinished ones older than this many are not counted.</summary>
    private const int Scanned = 2000;

    private volatile IReadOnlyList<Measurement<long>> _last = [];

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        BroadcastMetrics.ObserveQueued(() => _last);
        using var timer = new PeriodicTimer(config.GetValue("Telemetry:QueuedRecipientsEvery", DefaultEvery));
        do
        {
            try
            {
                _last = await ScanAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogDebug("Queued-recipients gauge: storage not readable ({Error})", e.Message);
            }
        }
        while (await WaitAsync(timer, stop));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try { return await timer.WaitForNextTickAsync(stop); }
        catch (OperationCanceledException) { return false; }
    }

    private async Task<IReadOnlyList<Measurement<long>>> ScanAsync(CancellationToken ct)
    {
        var queued = new Dictionary<string, long>();
        string? continuation = null;
        var seen = 0;
        do
        {
            var (items, next) = await broadcasts.ListAsync(200, continuation, ct);
            foreach (var r in items.Where(r => !BroadcastStatus.IsFinished(r.Status)))
                queued[r.Status] = queued.GetValueOrDefault(r.Status) + Math.Max(0, r.Queued);
            seen += items.Count;
            continuation = next;
        }
        while (continuation is not null && seen < Scanned);
        return queued.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>(BroadcastTelemetry.Attributes.Status, q.Key))).ToList();
    }
}
