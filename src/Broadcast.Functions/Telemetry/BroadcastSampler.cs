using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Broadcast.Functions.Telemetry;

/// <summary>The default sampler: every broadcast's skeleton (the accepting request, the start step, every batch) is
/// kept, and so is every vendor call that has a span: which successful calls get one is decided before the call
/// (<see cref="Broadcast.Core.Telemetry.BroadcastTelemetry.VendorCallSpanRatio"/>, so the others cost nothing), and
/// every failed call gets one. What runs under a dropped span of this process is dropped with it. A caller's "not
/// sampled" flag is not followed: the broadcast still gets its skeleton, in the caller's trace.</summary>
public sealed class BroadcastSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    /// <summary>HttpClient's source: its spans are kept under a vendor call's span only (storage calls are the
    /// Azure SDK's business, traced with Telemetry__TraceStorage); decided here, before the span takes any work.</summary>
    private const string HttpClientSource = "System.Net.Http";

    /// <summary>Telemetry__TraceStorage: keep HttpClient spans under any span.</summary>
    public bool KeepAllHttpClientSpans { get; init; }

    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        var parent = parameters.ParentContext;
        if (parent.TraceId != default && !parent.IsRemote && (parent.TraceFlags & ActivityTraceFlags.Recorded) == 0) return Drop;
        if (!KeepAllHttpClientSpans && parameters.Name.StartsWith(HttpClientSource, StringComparison.Ordinal) && !UnderVendorCall()) return Drop;
        return Keep;
    }

    private static bool UnderVendorCall() =>
        Activity.Current is { } current && current.Source == Broadcast.Core.Telemetry.BroadcastTelemetry.Source
        && current.OperationName == Broadcast.Core.Telemetry.BroadcastTelemetry.Spans.VendorCall;
}
