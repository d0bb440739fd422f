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

    private VendorCallTelemetry(Activity? activity, string vendor, string channel)
    {
        _activity = activity;
        _vendor = vendor;
        _channel = channel;
        _started = Stopwatch.GetTimestamp();
    }

    /// <param name="recipient">The number (masked here) or null for a bulk call or a group.</param>
    public static VendorCallTelemetry Start(Provider provider, string channelKey, int attempt, string? recipient, int recipients = 1)
    {
        var vendor = provider.Name();
        var channel = BroadcastTelemetry.ChannelLabel(channelKey);
        var activity = BroadcastTelemetry.Source.StartActivity(BroadcastTelemetry.Spans.VendorCall, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = $"{vendor} send";
            activity.SetTag(A.Vendor, vendor);
            activity.SetTag(A.Channel, channel);
            activity.SetTag(A.Attempt, attempt);
            if (recipient is not null) activity.SetTag(A.Recipient, BroadcastTelemetry.MaskPhone(recipient));
            if (recipients != 1) activity.SetTag(A.Recipients, recipients);
        }
        return new VendorCallTelemetry(activity, vendor, channel);
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
