using System.Collections.Concurrent;
using System.Diagnostics;
using Broadcast.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Broadcast.Functions.Telemetry;

/// <summary>The local view's store (<c>Telemetry__LocalView=true</c>, on in the run command): the latest spans the
/// sampler kept, in a bounded ring, and the product's metrics read on demand. Nothing leaves the process.</summary>
public sealed class LocalTelemetry
{
    public LocalTelemetry(int maxSpans)
    {
        Spans = new SpanRing(maxSpans);
        Metrics = new MetricSnapshotExporter();
        MetricReader = new BaseExportingMetricReader(Metrics) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
    }

    public SpanRing Spans { get; }
    public MetricSnapshotExporter Metrics { get; }
    public MetricReader MetricReader { get; }

    /// <summary>Every metric point of the app now (a collection is CPU work over in-memory aggregates, no I/O).</summary>
    public IReadOnlyList<MetricPointView> CollectMetrics()
    {
        lock (Metrics)
        {
            MetricReader.Collect(timeoutMilliseconds: 2000);
            return Metrics.Last;
        }
    }

    public sealed record SpanView(string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, DateTimeOffset Start,
        double DurationMs, string Status, string? StatusDescription, string Source, IReadOnlyDictionary<string, object?> Attributes)
    {
        public string? BroadcastId => Attributes.TryGetValue(BroadcastTelemetry.Attributes.BroadcastId, out var id) ? id?.ToString() : null;
    }

    public sealed record MetricPointView(string Name, string Unit, string Type, IReadOnlyDictionary<string, object?> Attributes,
        double? Value, long? Count, double? Sum);

    public sealed class SpanRing(int capacity) : BaseExporter<Activity>
    {
        private readonly ConcurrentQueue<SpanView> _spans = new();

        public IReadOnlyList<SpanView> Snapshot() => _spans.ToArray();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var a in batch)
            {
                _spans.Enqueue(new SpanView(a.TraceId.ToHexString(), a.SpanId.ToHexString(),
                    a.ParentSpanId == default ? null : a.ParentSpanId.ToHexString(), a.DisplayName, a.Kind.ToString().ToLowerInvariant(),
                    a.StartTimeUtc, a.Duration.TotalMilliseconds, a.Status.ToString().ToLowerInvariant(), a.StatusDescription, a.Source.Name,
                    a.TagObjects.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value)));
                while (_spans.Count > capacity && _spans.TryDequeue(out _)) { }
            }
            return ExportResult.Success;
        }
    }

    public sealed class MetricSnapshotExporter : BaseExporter<Metric>
    {
        public IReadOnlyList<MetricPointView> Last { get; private set; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            var points = new List<MetricPointView>();
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags) tags[tag.Key] = tag.Value;
                    points.Add(metric.MetricType switch
                    {
                        MetricType.LongSum or MetricType.LongSumNonMonotonic => View(metric, "sum", tags, point.GetSumLong()),
                        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => View(metric, "sum", tags, point.GetSumDouble()),
                        MetricType.LongGauge => View(metric, "gauge", tags, point.GetGaugeLastValueLong()),
                        MetricType.DoubleGauge => View(metric, "gauge", tags, point.GetGaugeLastValueDouble()),
                        MetricType.Histogram or MetricType.ExponentialHistogram =>
                            new MetricPointView(metric.Name, metric.Unit, "histogram", tags, null, point.GetHistogramCount(), point.GetHistogramSum()),
                        _ => View(metric, metric.MetricType.ToString(), tags, null),
                    });
                }
            }
            Last = points;
            return ExportResult.Success;
        }

        private static MetricPointView View(Metric metric, string type, Dictionary<string, object?> tags, double? value) =>
            new(metric.Name, metric.Unit, type, tags, value, null, null);
    }
}
