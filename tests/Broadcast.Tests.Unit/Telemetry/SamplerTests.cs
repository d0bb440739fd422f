using System.Diagnostics;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Vendors;
using Broadcast.Functions.Http;
using Broadcast.Functions.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Broadcast.Tests.Unit.Telemetry;

/// <summary>Alone: its listener on the broadcast's activity source would also see the spans of tests running beside it.</summary>
[CollectionDefinition(nameof(SamplerTests), DisableParallelization = true)]
public sealed class SamplerCollection;

[Collection(nameof(SamplerTests))]
public sealed class SamplerTests
{
    [Fact]
    public void The_default_sampler_exports_a_failed_call_and_not_a_successful_one_at_ratio_zero()
    {
        var exported = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(BroadcastTelemetry.Name)
            .SetSampler(new BroadcastSampler()).AddProcessor(new BroadcastSpanProcessor(new SecretRedactor([])))
            .AddInMemoryExporter(exported).Build();
        using var omnichat = new Broadcast.Core.Vendors.Omnichat.OmnichatClient(new() { BaseUrl = "http://omnichat.invalid", ApiKey = "k" });
        var ratio = BroadcastTelemetry.VendorCallSpanRatio;
        BroadcastTelemetry.VendorCallSpanRatio = 0;
        try
        {
            using (var batch = BroadcastTelemetry.StartStep(BroadcastTelemetry.Spans.BatchStep, "b1", null, 0))
            {
                VendorCallTelemetry.Start(omnichat, "omnichat:acct:dev", 1, "6281290641111").End(SendResult.Accepted("m1"));
                VendorCallTelemetry.Start(omnichat, "omnichat:acct:dev", 1, "6281290642222")
                    .End(new SendResult(SendOutcome.Permanent, Error: "400 bad number", StatusCode: 400));
            }
        }
        finally
        {
            BroadcastTelemetry.VendorCallSpanRatio = ratio;
        }
        provider.ForceFlush();
        Assert.Equal([BroadcastTelemetry.Spans.VendorCall, BroadcastTelemetry.Spans.BatchStep], exported.Select(a => a.OperationName));
        var failed = exported[0];
        Assert.Equal("failed", failed.GetTagItem(BroadcastTelemetry.Attributes.Outcome));
        Assert.Equal("…2222", failed.GetTagItem(BroadcastTelemetry.Attributes.Recipient));
        Assert.Matches("^device-[0-9a-f]+$", failed.GetTagItem(BroadcastTelemetry.Attributes.Channel) as string); // the key's fingerprint, never the key
        Assert.Equal("b1", failed.GetTagItem(BroadcastTelemetry.Attributes.BroadcastId)); // found by the broadcast id like the rest
        Assert.Equal(exported[1].SpanId, failed.ParentSpanId);
    }
}
