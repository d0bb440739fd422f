using Broadcast.Core.Vendors;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Broadcast.Core.Messaging;
using Broadcast.Core.Uploads;
using Broadcast.Core.Workflow;
using A = Broadcast.Core.Telemetry.BroadcastTelemetry.Attributes;

namespace Broadcast.Core.Telemetry;

/// <summary>Every instrument of the product's Meter (<see cref="BroadcastTelemetry.Name"/>). Durations are
/// histograms in seconds and counts are counters with a {unit}, as the OpenTelemetry semantic conventions write
/// them; the names are the product's own ("broadcast.*") where the conventions have none.</summary>
public static class BroadcastMetrics
{
    // Seconds: a vendor answers in tens of milliseconds to tens of seconds (its timeout).
    private static readonly double[] CallSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    // Seconds: a batch takes from under a second to minutes at a slow channel's pace.
    private static readonly double[] BatchSeconds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
    // Seconds: a broadcast's first send should follow its started_at within a second; minutes mean a backlog.
    private static readonly double[] LatenessSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

    public static readonly Counter<long> Sends = BroadcastTelemetry.Meter.CreateCounter<long>("broadcast.sends", "{message}",
        "Recipient outcomes by vendor, channel and outcome (sent, failed, unknown, suppressed, canceled), counted when a batch commits them.");

    public static readonly Histogram<double> VendorCallDuration = BroadcastTelemetry.Meter.CreateHistogram("broadcast.vendor.call.duration", "s",
        "Duration of one vendor call (one attempt), by vendor, channel, outcome and HTTP status.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallSeconds });

    public static readonly Counter<long> VendorThrottled = BroadcastTelemetry.Meter.CreateCounter<long>("broadcast.vendor.throttled", "{response}",
        "Vendor answers of 429 Too Many Requests, by vendor and channel.");

    public static readonly Counter<long> VendorRetries = BroadcastTelemetry.Meter.CreateCounter<long>("broadcast.vendor.retries", "{retry}",
        "Vendor calls repeated after a transient failure, by vendor and channel.");

    public static readonly Histogram<double> BatchDuration = BroadcastTelemetry.Meter.CreateHistogram("broadcast.batch.duration", "s",
        "Duration of one batch step, by its result (done, busy, failed).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = BatchSeconds });

    public static readonly Histogram<double> StartToFirstSend = BroadcastTelemetry.Meter.CreateHistogram("broadcast.start_to_first_send", "s",
        "Time from a broadcast's started_at (or its acceptance when it has none) to its first message accepted by the vendor.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessSeconds });

    public static readonly Counter<long> Uploads = BroadcastTelemetry.Meter.CreateCounter<long>("broadcast.uploads", "{upload}",
        "Recipient uploads by outcome (accepted, rejected).");

    public static readonly Counter<long> UploadRows = BroadcastTelemetry.Meter.CreateCounter<long>("broadcast.upload.rows", "{row}",
        "Rows of recipient uploads by outcome (valid, invalid, duplicate).");

    /// <summary>Set by the app: the recipients still queued, per broadcast status, from its latest look at storage.</summary>
    private static Func<IEnumerable<Measurement<long>>>? _queued;

    public static readonly ObservableGauge<long> Queued = BroadcastTelemetry.Meter.CreateObservableGauge("broadcast.recipients.queued",
        () => _queued?.Invoke() ?? [], "{recipient}",
        "Recipients waiting to be sent, per broadcast status (scheduled, running, waiting, canceling), across the cluster.");

    public static void ObserveQueued(Func<IEnumerable<Measurement<long>>> source) => _queued = source;

    // ---- recording helpers, one line at each call site -------------------------------------------------------

    /// <summary>A batch committed its outcomes: counted once per batch, so the sums equal the broadcast's counters.</summary>
    public static void BatchCommitted(BroadcastDefinition definition, IVendorClient vendorClient, Tally tally)
    {
        if (!Sends.Enabled) return;
        var vendor = definition.Provider.Name();
        var channel = BroadcastTelemetry.ChannelLabel(vendorClient, vendorClient.ChannelKey(definition.Channel));
        Add(tally.Sent, RecipientStatus.Sent);
        Add(tally.Failed, RecipientStatus.Failed);
        Add(tally.Unknown, RecipientStatus.Unknown);
        Add(tally.Suppressed, RecipientStatus.Suppressed);
        Add(tally.Canceled, RecipientStatus.Canceled);

        void Add(long n, string outcome)
        {
            if (n > 0) Sends.Add(n, new(A.Vendor, vendor), new(A.Channel, channel), new(A.Outcome, outcome));
        }
    }

    /// <summary>The first batch's first accepted send, against the time the broadcast was due.</summary>
    public static void FirstBatchSent(BroadcastDefinition definition, BatchRecord batch)
    {
        if (batch.Batch != 0 || !StartToFirstSend.Enabled) return;
        DateTimeOffset? first = null;
        foreach (var o in batch.Outcomes)
            if (o.SentAt is { } at && (first is null || at < first)) first = at;
        if (first is null) return;
        var due = definition.ScheduledAt ?? definition.CreatedAt;
        StartToFirstSend.Record(Math.Max(0, (first.Value - due).TotalSeconds),
            new KeyValuePair<string, object?>(A.Vendor, definition.Provider.Name()));
    }

    public static void UploadImported(UploadSummary summary)
    {
        // Stored but unusable (no valid recipient) counts as rejected: no broadcast can use it.
        Uploads.Add(1, new KeyValuePair<string, object?>(A.UploadOutcome, summary.ValidRecipients > 0 ? "accepted" : "rejected"));
        UploadRows.Add(summary.ValidRecipients, new KeyValuePair<string, object?>(A.UploadOutcome, "valid"));
        if (summary.InvalidRows > 0) UploadRows.Add(summary.InvalidRows, new KeyValuePair<string, object?>(A.UploadOutcome, "invalid"));
        if (summary.DuplicatesRemoved > 0) UploadRows.Add(summary.DuplicatesRemoved, new KeyValuePair<string, object?>(A.UploadOutcome, "duplicate"));
    }

    public static void UploadRejected() => Uploads.Add(1, new KeyValuePair<string, object?>(A.UploadOutcome, "rejected"));

    public static void VendorCall(string vendor, string channel, string outcome, int? status, TimeSpan duration)
    {
        if (!VendorCallDuration.Enabled) return;
        var tags = new TagList { { A.Vendor, vendor }, { A.Channel, channel }, { A.Outcome, outcome } };
        if (status is { } s) tags.Add(A.HttpStatus, s);
        VendorCallDuration.Record(duration.TotalSeconds, tags);
    }
}
