using System.Diagnostics;
using System.Diagnostics.Metrics;
using Broadcast.Core.Vendors;

namespace Broadcast.Core.Telemetry;

/// <summary>The product's ActivitySource and Meter (both named <see cref="Name"/>), the attribute names every span
/// and metric uses, and the few helpers that keep secrets and phone numbers out of them. Static, as the .NET
/// guidance has it for sources and meters: instrumented code needs no extra constructor parameters, and nothing is
/// recorded unless an OpenTelemetry pipeline (or any listener) subscribes to the name.</summary>
public static partial class BroadcastTelemetry
{
    public const string Name = "Broadcast.Functions";

    public static readonly ActivitySource Source = new(Name, typeof(BroadcastTelemetry).Assembly.GetName().Version?.ToString());
    public static readonly Meter Meter = new(Name, typeof(BroadcastTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Span names, fixed so that samplers, processors and queries can recognise them.</summary>
    public static class Spans
    {
        public const string StartStep = "broadcast start";
        public const string BatchStep = "broadcast batch";
        public const string VendorCall = "vendor send";
        public const string Callback = "vendor callback";
    }

    /// <summary>Attribute names. OpenTelemetry has no conventions for a messaging vendor's outcome, so these are the
    /// product's own, under "broadcast."; HTTP and error attributes follow the semantic conventions.</summary>
    public static class Attributes
    {
        private const string Product = "broadcast.";
        public const string BroadcastId = Product + "id";
        public const string Batch = Product + "batch";
        public const string Vendor = Product + "vendor";
        public const string Channel = Product + "channel";
        public const string Outcome = Product + "outcome";
        public const string Attempt = Product + "attempt";
        public const string Recipient = Product + "recipient";
        public const string Recipients = Product + "recipients";
        public const string Status = Product + "status";
        public const string Worker = Product + "worker";
        public const string Try = Product + "work_item.try";
        public const string Result = Product + "step.result";
        public const string UploadOutcome = Product + "upload.outcome";
        public const string HttpStatus = "http.response.status_code";
        public const string HttpMethod = "http.request.method";
        public const string ServerAddress = "server.address";
        public const string ErrorType = "error.type";
    }

    /// <summary>The share of vendor calls that get a span while they run, decided before the call so that the others
    /// cost nothing: the app sets it to its default sampler's ratio, or to 1 when <c>OTEL_TRACES_SAMPLER</c> is set
    /// (that sampler then decides). A call that fails gets its span afterwards whatever this says.</summary>
    public static double VendorCallSpanRatio { get; set; } = 1.0;

    /// <summary>Attributes a child span takes from its in-process parent, so that every span of a broadcast's trace
    /// (HTTP client spans included) can be found by the broadcast id the API gave out.</summary>
    public static readonly string[] Inherited = [Attributes.BroadcastId, Attributes.Vendor, Attributes.Channel];

    // ---- trace context in work items ------------------------------------------------------------------------

    /// <summary>The W3C traceparent of the current span, for a work item to carry; null when telemetry is off (no
    /// listener on the product's source: ASP.NET Core still makes request activities for log correlation).</summary>
    public static string? CurrentTraceParent() =>
        Source.HasListeners() && Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null;

    /// <summary>A carried traceparent back to a parent context; default (a new trace) when absent or malformed.</summary>
    public static ActivityContext ParentFrom(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>Starts a workflow step's span as a child of the trace context its work item carries.</summary>
    public static Activity? StartStep(string name, string broadcastId, string? traceParent, int? batch = null)
    {
        var activity = Source.StartActivity(name, ActivityKind.Consumer, ParentFrom(traceParent));
        if (activity is null) return null;
        activity.SetTag(Attributes.BroadcastId, broadcastId);
        if (batch is { } b) activity.SetTag(Attributes.Batch, b);
        return activity;
    }

    /// <summary>Marks the current span (the accepting HTTP request's) with the broadcast it created.</summary>
    public static void TagCurrent(string broadcastId) => Activity.Current?.SetTag(Attributes.BroadcastId, broadcastId);

    /// <summary>A callback's request span: tagged with the broadcast it updated and linked to that broadcast's trace
    /// (a link, not a parent: the callback is its own request, minutes or days later).</summary>
    public static void LinkCurrent(string broadcastId, string? traceParent)
    {
        if (Activity.Current is not { IsAllDataRequested: true } current) return;
        current.SetTag(Attributes.BroadcastId, broadcastId);
        if (ParentFrom(traceParent) is { TraceId: var traceId } context && traceId != default) current.AddLink(new ActivityLink(context));
    }

    public static void RecordError(this Activity? activity, Exception e)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        activity.SetTag(Attributes.ErrorType, e.GetType().FullName);
        // Only the type: exception messages can carry storage URLs and vendor echoes, which the redactor sees later, but
        // a stack trace per failed send is cost without information.
    }

    // ---- what may be shown ----------------------------------------------------------------------------------

    /// <summary>A phone number as telemetry may show it: its last 4 digits, enough to tell numbers apart in a trace,
    /// too few to identify anyone. Groups (not numbers) show as "group".</summary>
    public static string MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return "";
        var digits = phone.Count(char.IsAsciiDigit);
        if (digits < 6) return "group";
        var last = new string(phone.Where(char.IsAsciiDigit).TakeLast(4).ToArray());
        return "…" + last;
    }

    /// <summary>Free text (a vendor's error message) with every phone-number-like run of digits masked as
    /// <see cref="MaskPhone"/> does: vendors quote the number they refused.</summary>
    public static string MaskPhones(string? text) =>
        string.IsNullOrEmpty(text) ? text ?? "" : PhoneLike().Replace(text, m => MaskPhone(m.Value));

    // 8 or more digits, optionally after '+' and with spaces or dashes inside: shorter runs are amounts, codes, statuses.
    [System.Text.RegularExpressions.GeneratedRegex(@"\+?\d(?:[\s-]?\d){7,}")]
    private static partial System.Text.RegularExpressions.Regex PhoneLike();

    /// <summary>The channel's label (<see cref="IVendorClient.ChannelLabel"/>), worked out once per channel: it is
    /// asked at every vendor call, and a device key's fingerprint is a hash.</summary>
    public static string ChannelLabel(IVendorClient vendor, string channelKey)
    {
        if (ChannelLabels.TryGetValue(channelKey, out var known)) return known;
        if (ChannelLabels.Count > MaxKnownChannels) ChannelLabels.Clear();
        return ChannelLabels[channelKey] = vendor.ChannelLabel(channelKey);
    }

    /// <summary>Far more channels than a deployment has; only a runaway key source could reach it.</summary>
    private const int MaxKnownChannels = 10_000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> ChannelLabels = new();
}
