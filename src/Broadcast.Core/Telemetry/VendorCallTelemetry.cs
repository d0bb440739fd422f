using System.Diagnostics;
using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;
using A = Broadcast.Core.Telemetry.BroadcastTelemetry.Attributes;

namespace Broadcast.Core.Telemetry;

/// <summary>One vendor call (one attempt) as telemetry sees it: the HTTP client span of the call, with the vendor,
/// channel, masked recipient, method, server, status code and outcome, and the call-duration metric. Only a share of successful calls get a span
/// (<see cref="BroadcastTelemetry.VendorCallSpanRatio"/>, decided up front so that the rest cost nothing); a call
/// that fails without one gets it when it ends, from its start time, so that every failure is in the trace.</summary>
public readonly struct VendorCallTelemetry
{
    private readonly Activity? _activity;
    private readonly long _started;
    private readonly DateTimeOffset _startedAt;
    private readonly string _vendor;
    private readonly string _channel;
    private readonly int _attempt;
    private readonly string? _recipient;
    private readonly int _recipients;
    private readonly string? _baseUrl;

    private VendorCallTelemetry(Activity? activity, string vendor, string channel, int attempt, string? recipient, int recipients, string? baseUrl)
    {
        _baseUrl = baseUrl;
        _activity = activity;
        _vendor = vendor;
        _channel = channel;
        _attempt = attempt;
        _recipient = recipient;
        _recipients = recipients;
        _started = Stopwatch.GetTimestamp();
        _startedAt = activity is null && BroadcastTelemetry.Source.HasListeners() ? DateTimeOffset.UtcNow : default;
    }

    /// <param name="recipient">The number (masked here) or null for a bulk call or a group.</param>
    /// <param name="baseUrl">The vendor's base URL, whose host the span names.</param>
    public static VendorCallTelemetry Start(IVendorClient vendorClient, string channelKey, int attempt, string? recipient, int recipients = 1, string? baseUrl = null)
    {
        var vendor = vendorClient.Provider.Name();
        var channel = BroadcastTelemetry.ChannelLabel(vendorClient, channelKey);
        var ratio = BroadcastTelemetry.VendorCallSpanRatio;
        var activity = ratio >= 1 || Random.Shared.NextDouble() < ratio
            ? BroadcastTelemetry.Source.StartActivity(BroadcastTelemetry.Spans.VendorCall, ActivityKind.Client)
            : null;
        var call = new VendorCallTelemetry(activity, vendor, channel, attempt, recipient, recipients, baseUrl);
        if (activity is { IsAllDataRequested: true }) call.Describe(activity);
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
        activity.SetTag(A.HttpMethod, "POST"); // every call the adapters make to a vendor is a POST
        if (Uri.TryCreate(_baseUrl, UriKind.Absolute, out var url)) activity.SetTag(A.ServerAddress, url.Host);
    }

    /// <summary>The span of a call that had none while it ran (it failed): under the current span, from its start.</summary>
    private Activity? Late()
    {
        if (_startedAt == default) return null;
        var activity = BroadcastTelemetry.Source.StartActivity(ActivityKind.Client, default, null, null, _startedAt, BroadcastTelemetry.Spans.VendorCall);
        if (activity is { IsAllDataRequested: true }) Describe(activity);
        return activity;
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
        var activity = _activity ?? (result.Outcome == SendOutcome.Accepted ? null : Late());
        if (activity is null) return;
        activity.SetTag(A.Outcome, outcome);
        if (result.StatusCode is { } status) activity.SetTag(A.HttpStatus, status);
        if (result.Outcome != SendOutcome.Accepted)
        {
            // The vendor's message is already scrubbed of keys (VendorHttp.Scrub); the app's span processor redacts again.
            activity.SetStatus(ActivityStatusCode.Error, BroadcastTelemetry.MaskPhones(result.Error));
            activity.SetTag(A.ErrorType, result.StatusCode?.ToString() ?? (result.RateLimited ? "429" : "transient"));
        }
        activity.Dispose();
    }

    /// <summary>The call threw (canceled, or a bug): recorded as an error.</summary>
    public void Fail(Exception e)
    {
        BroadcastMetrics.VendorCall(_vendor, _channel, e is OperationCanceledException ? "canceled" : "error", null, Stopwatch.GetElapsedTime(_started));
        var activity = _activity ?? Late();
        if (activity is null) return;
        activity.RecordError(e);
        activity.Dispose();
    }

    /// <summary>A transient failure is about to be tried again.</summary>
    public static void Retrying(IVendorClient vendor, string channelKey) =>
        BroadcastMetrics.VendorRetries.Add(1, new(A.Vendor, vendor.Provider.Name()), new(A.Channel, BroadcastTelemetry.ChannelLabel(vendor, channelKey)));
}
