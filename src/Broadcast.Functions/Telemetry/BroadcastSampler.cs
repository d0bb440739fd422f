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

    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        var parent = parameters.ParentContext;
        return parent.TraceId != default && !parent.IsRemote && (parent.TraceFlags & ActivityTraceFlags.Recorded) == 0 ? Drop : Keep;
    }
}
