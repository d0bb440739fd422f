using System.Diagnostics;
using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;
using A = Broadcast.Core.Telemetry.BroadcastTelemetry.Attributes;

namespace Broadcast.Core.Telemetry;

/// <summary>One vendor call (one attempt) as telemetry sees it: a client span with the vendor, channel, masked
/// recipient and outcome, and the call-duration metric. A failed call marks its span recorded even when the sampler
/// only let it record (<see cref="ActivitySamplingResult.AllData"/>): the default sampler keeps failures whole and
/// samples successes (see the app's telemetry setup).</summary>
public readonly struct VendorCallTelemetry
{
    private readonly Activity? _activity;
    private readonly long _started;
    private readonly string _vendor;
    private readonly string _channel;
    private readonly int _attempt;
    private readonly string? _recipient;
    private readonly int _recipients;

    private VendorCallTelemetry(Activity? activity, string vendor, string channel, int attempt, string? recipient, int recipients)
    {
        _activity = activity;
        _vendor = vendor;
        _channel = channel;
        _attempt = attempt;
        _recipient = recipient;
        _recipients = recipients;
        _started = Stopwatch.GetTimestamp();
    }

    /// <param name="recipient">The number (masked here) or null for a bulk call or a group.</param>
    public static VendorCallTelemetry Start(Provider provider, string channelKey, int attempt, string? recipient, int recipients = 1)
    {
        var vendor = provider.Name();
        var channel = BroadcastTelemetry.ChannelLabel(channelKey);
        var activity = BroadcastTelemetry.Source.StartActivity(BroadcastTelemetry.Spans.VendorCall, ActivityKind.Client);
        var call = new VendorCallTelemetry(activity, vendor, channel, attempt, recipient, recipients);
        // Most calls are recorded only to be dropped when they succeed: their attributes are written when they turn
        // out to be kept (sampled now, or failed at the end), which is what keeps telemetry cheap per send.
        if (activity is { Recorded: true }) call.Describe(activity);
        return call;
    }

    private void Describe(Activity activity)
    {
        activity.DisplayName = $"{_vendor} send";
        activity.SetTag(A.Vendor, _vendor);
        activity.SetTag(A.Channel, _channel);
        activity.SetTag(A.Attempt, _attempt);
        if (_recipient is not null) activity.SetTag(A.Recipient, BroadcastTelemetry.MaskPhone(_recipient));
        if (_recipients != 1) activity.SetTag(A.Recipients, _recipients);
    }

    /// <summary>The vendor answered (or did not, in time): outcome sent, failed (permanent) or transient.</summary>
    public void End(SendResult result)
    {
        var outcome = result.Outcome switch
        {
            SendOutcome.Accepted => "sent",
            SendOutcome.Permanent => "failed",
            _ => "transient",
        };
        BroadcastMetrics.VendorCall(_vendor, _channel, outcome, result.StatusCode, Stopwatch.GetElapsedTime(_started));
        if (result.RateLimited)
            BroadcastMetrics.VendorThrottled.Add(1, new(A.Vendor, _vendor), new(A.Channel, _channel));
        if (_activity is null) return;
        if (result.Outcome == SendOutcome.Accepted && !_activity.Recorded)
        {
            _activity.Dispose(); // sampled out: nobody will see it
            return;
        }
        if (!_activity.Recorded) Describe(_activity);
        _activity.SetTag(A.Outcome, outcome);
        if (result.StatusCode is { } status) _activity.SetTag(A.HttpStatus, status);
        if (result.Outcome != SendOutcome.Accepted)
        {
            // The vendor's message is already scrubbed of keys (VendorHttp.Scrub); the app's span processor redacts again.
            _activity.SetStatus(ActivityStatusCode.Error, BroadcastTelemetry.MaskPhones(result.Error));
            _activity.SetTag(A.ErrorType, result.StatusCode?.ToString() ?? (result.RateLimited ? "429" : "transient"));
            Keep(_activity);
        }
        _activity.Dispose();
    }

    /// <summary>The call threw (canceled, or a bug): recorded as an error.</summary>
    public void Fail(Exception e)
    {
        BroadcastMetrics.VendorCall(_vendor, _channel, e is OperationCanceledException ? "canceled" : "error", null, Stopwatch.GetElapsedTime(_started));
        if (_activity is null) return;
        if (!_activity.Recorded) Describe(_activity);
        _activity.RecordError(e);
        Keep(_activity);
        _activity.Dispose();
    }

    /// <summary>A transient failure is about to be tried again.</summary>
    public static void Retrying(Provider provider, string channelKey) =>
        BroadcastMetrics.VendorRetries.Add(1, new(A.Vendor, provider.Name()), new(A.Channel, BroadcastTelemetry.ChannelLabel(channelKey)));

    /// <summary>A span the sampler let record but not export becomes exported: failures are never sampled away.
    /// Honoured only when its parent was kept, so a trace dropped as a whole stays dropped.</summary>
    private static void Keep(Activity activity)
    {
        if (activity.IsAllDataRequested && (activity.Parent is null || activity.Parent.Recorded))
            activity.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
    }
}
