using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Workflow;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Integration.Uploads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;
using A = Broadcast.Core.Telemetry.BroadcastTelemetry.Attributes;

namespace Broadcast.Tests.Integration.Telemetry;

// The product's ActivitySource and Meter are process-wide: alone, so no other test's spans and sends are counted.
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTestsCollection;

[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    private const int Count = 1200;
    private const int BatchSize = 100;
    private static readonly int[] FailingRows = [7, 250, 777, 1111];

    /// <summary>Two instances on one storage account, one 1,200-recipient broadcast (an upload, as lists that long
    /// are), a few recipients the vendor rejects and a few 503s on the way. Instance one's pipeline exports to the
    /// in-memory exporters: the product's source and meter are process-wide, so it sees instance two's work too.</summary>
    private static async Task<Run> BroadcastOnTwoInstancesAsync(Dictionary<string, string?> telemetry)
    {
        var sandbox = await SandboxApp.StartAsync();
        sandbox.State.Configure("omnichat", new VendorBehavior
        {
            LatencyMs = 2,
            FailNext = 6, // transient: retried, then sent
            FailPhones = FailingRows.ToDictionary(Phone, _ => 400),
        });
        var prefix = TestApp.NewPrefix();
        var settings = new Dictionary<string, string?>(telemetry)
        {
            ["Vendors:Omnichat:RatePerSecond"] = "0",
            ["Workflow:MaxConcurrentBatches"] = "2",
            ["Workflow:BatchSize"] = BatchSize.ToString(),
            ["Messaging:RetryBaseDelay"] = "00:00:00.050",
            ["Messaging:RetryMaxDelay"] = "00:00:00.200",
            ["Telemetry:Enabled"] = "true",
            ["Logging:LogLevel:Default"] = "Debug",
        };
        var run = new Run(sandbox);
        run.One = await TestApp.StartAsync(settings, prefix, sandbox.BaseUrl, b =>
        {
            b.Logging.AddProvider(run.Logs);
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(run.Spans));
            b.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(run.Metrics));
        });
        run.Two = await TestApp.StartAsync(settings, prefix, sandbox.BaseUrl, b => b.Logging.AddProvider(run.Logs));

        var csv = new StringBuilder("phone,name\n");
        for (var i = 0; i < Count; i++) csv.Append(Phone(i)).Append(",Customer ").Append(i).Append('\n');
        var upload = await run.One.PostFileAsync(Encoding.UTF8.GetBytes(csv.ToString()));
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        // The key in the query too, as the Functions convention allows: it must not reach a span.
        using var keyInQuery = new HttpClient { BaseAddress = run.One.BaseUrl };
        var created = await keyInQuery.PostAsync($"api/broadcasts?code={TestApp.ApiKey}", JsonContent(new { provider = "omnichat", text = "hi {name}", upload_id = upload.Id }));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        run.Id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.Str("id");
        run.Final = await WaitFinishedAsync(run.Two.Client, run.Id, TimeSpan.FromSeconds(120));

        // Spans end (and are exported) a moment after the work they describe is visible through the API.
        run.One.Services.GetRequiredService<TracerProvider>().ForceFlush();
        run.One.Services.GetRequiredService<MeterProvider>().ForceFlush();
        return run;
    }

    [Fact]
    public async Task With_everything_sampled_one_trace_holds_the_request_the_start_every_batch_and_every_vendor_call_of_two_instances()
    {
        await using var run = await BroadcastOnTwoInstancesAsync(new() { ["OTEL_TRACES_SAMPLER"] = "always_on" });
        Assert.Equal("completed", run.Final.Str("status"));
        Assert.Equal(Count - FailingRows.Length, run.Final.GetProperty("total_sent").GetInt64());
        Assert.Equal(FailingRows.Length, run.Final.GetProperty("total_failed").GetInt64());

        var request = Assert.Single(run.Spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("http.request.method") as string == "POST"
            && (s.GetTagItem("url.path") as string ?? "").EndsWith("/api/broadcasts") && s.GetTagItem(A.BroadcastId) as string == run.Id);
        var trace = run.Spans.Where(s => s.TraceId == request.TraceId).ToList();

        Assert.Contains(trace, s => s.OperationName == BroadcastTelemetry.Spans.StartStep);
        var batches = trace.Where(s => s.OperationName == BroadcastTelemetry.Spans.BatchStep && s.GetTagItem(A.Result) as string == "done").ToList();
        Assert.Equal(Enumerable.Range(0, Count / BatchSize), batches.Select(b => Convert.ToInt32(b.GetTagItem(A.Batch))).Distinct().Order());
        Assert.True(batches.Select(b => b.GetTagItem(A.Worker)).Distinct().Count() >= 2, "the batch spans come from one instance only");

        var calls = trace.Where(s => s.OperationName == BroadcastTelemetry.Spans.VendorCall).ToList();
        Assert.Equal(run.Sandbox.State.TotalRequests("omnichat"), calls.Count);
        Assert.Equal(FailingRows.Length, calls.Count(c => c.GetTagItem(A.Outcome) as string == "failed"));
        Assert.Equal(6, calls.Count(c => c.GetTagItem(A.Outcome) as string == "transient"));
        Assert.All(calls, c => Assert.Equal("omnichat", c.GetTagItem(A.Vendor)));
        Assert.All(calls, c => Assert.StartsWith("device-", c.GetTagItem(A.Channel) as string));
        // Each call's span is its HTTP client span: method, server, status code.
        Assert.All(calls, c => Assert.Equal((ActivityKind.Client, "POST", run.Sandbox.BaseUrl.Host),
            (c.Kind, c.GetTagItem(A.HttpMethod) as string, c.GetTagItem(A.ServerAddress) as string)));
        Assert.All(calls.Where(c => c.GetTagItem(A.Outcome) as string is "sent" or "failed"), c => Assert.NotNull(c.GetTagItem(A.HttpStatus)));
        Assert.DoesNotContain(run.Spans, s => s.Source.Name == "System.Net.Http"); // no second span for the same call
        Assert.All(trace, s => Assert.Equal(run.Id, s.GetTagItem(A.BroadcastId)));

        AssertMetricsEqualCounters(run);
        AssertNothingSecret(run);
    }

    [Fact]
    public async Task With_the_default_sampler_every_batch_and_every_failed_call_is_kept_and_successes_are_sampled()
    {
        // Ratio 0: no successful call is kept, so what is there is exactly what the sampler must never drop.
        await using var run = await BroadcastOnTwoInstancesAsync(new() { ["Telemetry:VendorCallSampleRatio"] = "0" });
        Assert.Equal("completed", run.Final.Str("status"));

        var request = Assert.Single(run.Spans, s => s.Kind == ActivityKind.Server && s.GetTagItem(A.BroadcastId) as string == run.Id
            && s.GetTagItem("http.request.method") as string == "POST");
        var trace = run.Spans.Where(s => s.TraceId == request.TraceId).ToList();
        Assert.Contains(trace, s => s.OperationName == BroadcastTelemetry.Spans.StartStep);
        Assert.Equal(Enumerable.Range(0, Count / BatchSize),
            trace.Where(s => s.OperationName == BroadcastTelemetry.Spans.BatchStep).Select(b => Convert.ToInt32(b.GetTagItem(A.Batch))).Distinct().Order());
        var calls = trace.Where(s => s.OperationName == BroadcastTelemetry.Spans.VendorCall).ToList();
        Assert.Equal(FailingRows.Length, calls.Count(c => c.GetTagItem(A.Outcome) as string == "failed"));
        Assert.Equal(6, calls.Count(c => c.GetTagItem(A.Outcome) as string == "transient"));
        Assert.All(calls, c => Assert.Equal(ActivityStatusCode.Error, c.Status));
        Assert.Equal(FailingRows.Length + 6, calls.Count);

        AssertMetricsEqualCounters(run);
        AssertNothingSecret(run);
    }

    [Fact]
    public async Task A_callback_is_linked_to_its_broadcasts_trace_and_the_queued_gauge_counts_recipients_waiting_to_start()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<MetricSnapshot>();
        var settings = new Dictionary<string, string?>
        {
            ["Telemetry:Enabled"] = "true",
            ["OTEL_TRACES_SAMPLER"] = "always_on",
            ["Telemetry:QueuedRecipientsEvery"] = "00:00:00.200",
            ["Callbacks:Qiscus:Secret"] = "qiscus-callback-secret",
            ["Vendors:Qiscus:RatePerSecond"] = "0",
        };
        await using var app = await TestApp.StartAsync(settings, TestApp.NewPrefix(), sandbox.BaseUrl, b =>
        {
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            b.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        });
        var template = new { name = "t", id = 7, @namespace = "n", language = "id" };
        var sent = await CreateAsync(app.Client, new { provider = "qiscus", template, recipients = new[] { new { to = Phone(1), variables = new[] { "v" } } } });
        await CreateAsync(app.Client, new { provider = "qiscus", template, started_at = DateTimeOffset.UtcNow.AddDays(1),
            recipients = Enumerable.Range(2, 3).Select(i => new { to = Phone(i), variables = new[] { "v" } }).ToArray() });
        await WaitFinishedAsync(app.Client, sent, TimeSpan.FromSeconds(30));
        var messageId = (await AllRecipientsAsync(app.Client, sent))[0].Str("provider_message_id");

        var callback = await app.Client.PostAsync("api/callbacks/qiscus?token=qiscus-callback-secret",
            JsonContent(new { provider_message_id = messageId, status = "delivered" }));
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var accepted = Assert.Single(spans, s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? "").EndsWith("/api/broadcasts")
            && s.GetTagItem(A.BroadcastId) as string == sent);
        // Tagged with the broadcast it updated (other tests' apps in this process post callbacks too).
        var received = Assert.Single(spans, s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string ?? "").EndsWith("/api/callbacks/qiscus")
            && s.GetTagItem(A.BroadcastId) as string == sent);
        Assert.NotEqual(accepted.TraceId, received.TraceId); // its own request, minutes or days later: linked, not a child
        Assert.Contains(received.Links, l => l.Context.TraceId == accepted.TraceId);

        // The scheduled broadcast's three recipients wait: the gauge shows them under "scheduled".
        await Poll.UntilAsync(() =>
        {
            app.Services.GetRequiredService<MeterProvider>().ForceFlush();
            var queued = metrics.LastOrDefault(m => m.Name == "broadcast.recipients.queued");
            return Task.FromResult(queued?.MetricPoints.Where(p => (string?)Tags(p).GetValueOrDefault(A.Status) == "scheduled").Sum(p => p.GetGaugeLastValueLong()));
        }, scheduled => scheduled == 3, TimeSpan.FromSeconds(15), "the queued gauge to show 3 scheduled recipients");
    }

    [Fact]
    public void Phone_numbers_show_their_last_four_digits_only()
    {
        Assert.Equal("…1111", BroadcastTelemetry.MaskPhone("6281290641111"));
        Assert.Equal("…8901", BroadcastTelemetry.MaskPhone("+1 234 567 8901"));
        Assert.Equal("group", BroadcastTelemetry.MaskPhone("grp42"));
        Assert.Equal("400 Nomor …0007 tidak terdaftar (3 tries)", BroadcastTelemetry.MaskPhones("400 Nomor 6281200000007 tidak terdaftar (3 tries)"));
        Assert.Equal("to …8901 and …2222", BroadcastTelemetry.MaskPhones("to +1 234-567-8901 and 6281290642222"));
    }

    private static void AssertMetricsEqualCounters(Run run)
    {
        long Sends(string outcome) => run.Metrics.Where(m => m.Name == "broadcast.sends").SelectMany(m => m.MetricPoints)
            .Where(p => Tags(p).TryGetValue(A.Outcome, out var o) && (string?)o == outcome).Select(p => p.GetSumLong()).Sum();
        // Cumulative snapshots: the last export holds the totals.
        var last = run.Metrics.Where(m => m.Name == "broadcast.sends").ToList();
        Assert.NotEmpty(last);
        var final = last[^1];
        long Final(string outcome) => final.MetricPoints.Where(p => (string?)Tags(p)[A.Outcome] == outcome).Sum(p => p.GetSumLong());
        Assert.Equal(run.Final.GetProperty("total_sent").GetInt64(), Final("sent"));
        Assert.Equal(run.Final.GetProperty("total_failed").GetInt64(), Final("failed"));
        Assert.True(Sends("sent") >= Final("sent"));

        var throttledOrRetried = run.Metrics.Where(m => m.Name == "broadcast.vendor.retries").ToList();
        Assert.Equal(6, throttledOrRetried[^1].MetricPoints.Sum(p => p.GetSumLong()));
        var calls = run.Metrics.Last(m => m.Name == "broadcast.vendor.call.duration");
        Assert.Equal(run.Sandbox.State.TotalRequests("omnichat"), calls.MetricPoints.Sum(p => p.GetHistogramCount()));
        Assert.Contains(run.Metrics, m => m.Name == "broadcast.batch.duration");
        Assert.Contains(run.Metrics, m => m.Name == "broadcast.start_to_first_send");
        var uploads = run.Metrics.Last(m => m.Name == "broadcast.upload.rows");
        Assert.Equal(Count, uploads.MetricPoints.Where(p => (string?)Tags(p)[A.UploadOutcome] == "valid").Sum(p => p.GetSumLong()));
    }

    private static Dictionary<string, object?> Tags(in MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var t in point.Tags) tags[t.Key] = t.Value;
        return tags;
    }

    /// <summary>Every attribute of every span, every metric dimension and every log line, against every key the
    /// app holds and every recipient's full number.</summary>
    private static void AssertNothingSecret(Run run)
    {
        var text = new StringBuilder();
        foreach (var s in run.Spans)
        {
            text.Append(s.DisplayName).Append(' ').Append(s.StatusDescription).Append('\n');
            foreach (var (k, v) in s.TagObjects) text.Append(k).Append('=').Append(v).Append('\n');
            foreach (var e in s.Events) text.Append(e.Name).Append(string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}"))).Append('\n');
        }
        foreach (var m in run.Metrics)
            foreach (var p in m.MetricPoints)
                foreach (var (k, v) in Tags(p)) text.Append(m.Name).Append(' ').Append(k).Append('=').Append(v).Append('\n');
        foreach (var line in run.Logs.Lines) text.Append(line).Append('\n');
        var all = text.ToString();
        Assert.Contains(run.Id, all); // the check reads something

        string[] secrets = [TestApp.ApiKey, "test-key-2", "sandbox-omnichat-key", "bc8bae5a-0997-40a2-a827-b95adc714dd3", "sandbox-khoros-key",
            "sandbox-qiscus-secret", Azurite.AccountKey];
        foreach (var secret in secrets) Assert.DoesNotContain(secret, all);
        // One pass for every number of the list's shape (a search per recipient over megabytes of debug logs took 30 s).
        var phones = Enumerable.Range(0, Count).Select(Phone).ToHashSet();
        Assert.Empty(Regex.Matches(all, Phone(0)[..5] + @"\d{8}").Select(m => m.Value).Where(phones.Contains).Distinct().Take(3));
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private sealed class Run(RunningSandbox sandbox) : IAsyncDisposable
    {
        public RunningSandbox Sandbox { get; } = sandbox;
        public TestApp One { get; set; } = null!;
        public TestApp Two { get; set; } = null!;
        public LockedCollection<Activity> Spans { get; } = new();
        public LockedCollection<MetricSnapshot> Metrics { get; } = new();
        public CapturedLogs Logs { get; } = new();
        public string Id { get; set; } = "";
        public JsonElement Final { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Two is not null) await Two.DisposeAsync();
            if (One is not null) await One.DisposeAsync();
            await Sandbox.DisposeAsync();
        }
    }
}
