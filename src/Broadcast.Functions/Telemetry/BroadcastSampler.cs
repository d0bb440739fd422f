using System.Diagnostics;
using Broadcast.Core.Telemetry;
using OpenTelemetry.Trace;

namespace Broadcast.Functions.Telemetry;

/// <summary>The default sampler: every broadcast's skeleton (the accepting request, the start step, every batch)
/// is kept; vendor calls are kept at <paramref name="vendorCallRatio"/>, and the rest are recorded but not exported
/// unless they fail (<see cref="VendorCallTelemetry"/> marks a failed call's span recorded before it ends), so every
/// failure is in the trace and a million successful sends do not mean a million spans. What runs under an
/// unexported span of this process (a sampled-out call's HTTP span) is dropped with it. A caller's "not sampled"
/// flag is not followed: the broadcast still gets its skeleton, in the caller's trace.</summary>
public sealed class BroadcastSampler(double vendorCallRatio) : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    /// <summary>Set on a record-only span for <see cref="BroadcastSpanProcessor"/>: .NET gives a new span its parent's
    /// "recorded" flag whatever the sampler said, and the processor takes it away again.</summary>
    public const string RecordOnlyMark = "broadcast.sampling.record_only";

    private static readonly SamplingResult RecordOnly = new(SamplingDecision.RecordOnly, [new KeyValuePair<string, object>(RecordOnlyMark, true)]);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        var parent = parameters.ParentContext;
        if (parent.TraceId != default && !parent.IsRemote && (parent.TraceFlags & ActivityTraceFlags.Recorded) == 0) return Drop;
        if (parameters.Name != BroadcastTelemetry.Spans.VendorCall) return Keep;
        return Random.Shared.NextDouble() < vendorCallRatio ? Keep : RecordOnly;
    }
}
