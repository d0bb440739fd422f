namespace Broadcast.Functions.Telemetry;

/// <summary>The local view: <c>GET /api/telemetry</c> (the product's metrics now and the latest traces, newest
/// first, optionally of one <c>broadcast_id</c>) and <c>GET /api/telemetry/traces/{traceId}</c> (one trace as an
/// indented span tree). Mapped only when <c>Telemetry__LocalView</c> is on; behind the API key like all of /api.</summary>
public static class LocalTelemetryApi
{
    public const string Path = "/api/telemetry";

    public sealed record TraceSummary(string TraceId, string? BroadcastId, string Root, DateTimeOffset Start, double DurationMs, int Spans, int Errors);

    public sealed record Overview(IReadOnlyList<LocalTelemetry.MetricPointView> Metrics, IReadOnlyList<TraceSummary> Traces);

    public sealed record SpanNode(int Depth, string Name, string Kind, double OffsetMs, double DurationMs, string Status, string? StatusDescription,
        string SpanId, string? ParentSpanId, IReadOnlyDictionary<string, object?> Attributes);

    public static void MapLocalTelemetryApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/telemetry").ExcludeFromDescription();
        group.MapGet("", GetOverview);
        group.MapGet("/traces/{traceId}", GetTrace);
    }

    private static Overview GetOverview(LocalTelemetry local, string? broadcast_id = null, int take = 50)
    {
        var spans = local.Spans.Snapshot();
        var traces = spans.GroupBy(s => s.TraceId)
            .Select(g =>
            {
                var root = g.FirstOrDefault(s => s.ParentSpanId is null || g.All(p => p.SpanId != s.ParentSpanId)) ?? g.First();
                var start = g.Min(s => s.Start);
                var end = g.Max(s => s.Start.AddMilliseconds(s.DurationMs));
                return new TraceSummary(g.Key, g.Select(s => s.BroadcastId).FirstOrDefault(id => id is not null), root.Name, start,
                    (end - start).TotalMilliseconds, g.Count(), g.Count(s => s.Status == "error"));
            })
            .Where(t => broadcast_id is null || t.BroadcastId == broadcast_id)
            .OrderByDescending(t => t.Start)
            .Take(Math.Clamp(take, 1, 500))
            .ToList();
        var metrics = local.CollectMetrics()
            .Where(m => m.Name.StartsWith("broadcast.", StringComparison.Ordinal) || m.Name.StartsWith("http.server.", StringComparison.Ordinal))
            .OrderBy(m => m.Name).ToList();
        return new Overview(metrics, traces);
    }

    private static IResult GetTrace(LocalTelemetry local, string traceId)
    {
        var spans = local.Spans.Snapshot().Where(s => s.TraceId == traceId).ToList();
        if (spans.Count == 0)
            return TypedResults.Problem(statusCode: 404, title: "Trace not found",
                detail: $"No span of trace {traceId} is in the local view (it keeps the latest spans only).");
        var start = spans.Min(s => s.Start);
        var children = spans.ToLookup(s => s.ParentSpanId ?? "");
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        var tree = new List<SpanNode>();
        void Walk(LocalTelemetry.SpanView span, int depth)
        {
            tree.Add(new SpanNode(depth, span.Name, span.Kind, (span.Start - start).TotalMilliseconds, span.DurationMs, span.Status,
                span.StatusDescription, span.SpanId, span.ParentSpanId, span.Attributes));
            foreach (var child in children[span.SpanId].OrderBy(c => c.Start)) Walk(child, depth + 1);
        }
        // Roots: spans whose parent is not here (the trace's first span, or a parent this view no longer holds).
        foreach (var root in spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.Start)) Walk(root, 0);
        return TypedResults.Ok(tree);
    }
}
