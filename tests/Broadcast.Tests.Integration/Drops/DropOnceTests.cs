using Broadcast.Core.Storage;
using Broadcast.Functions.Drops;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;
using static Broadcast.Tests.Integration.Drops.DropHelpers;

namespace Broadcast.Tests.Integration.Drops;

public sealed class DropOnceTests
{
    private static readonly object Request = new { provider = "omnichat", text = "Your code is {code}" };

    [Fact]
    public async Task The_same_drop_processed_again_and_again_and_seen_by_the_watcher_starts_one_broadcast()
    {
        await using var stack = await Stack.StartAsync(Settings());
        var app = stack.App;
        await DropRequestAsync(app, "twice.json", Request);
        var etag = await DropCsvAsync(app, "twice.csv", Numbers(0, 5));

        // Two at once (one of them may be the watcher's), then again, and once through the sidecar's name.
        var results = (await Task.WhenAll(ProcessAsync(app, "twice.csv"), ProcessAsync(app, "twice.csv"))).ToList();
        var report = await WaitReportAsync(app, "twice.result.json", etag);
        results.Add(await SettledAsync(app, "twice.csv"));
        results.Add(await ProcessAsync(app, "twice.json"));
        var id = report.Str("broadcast_id");
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { "started", "already_started" }));
        Assert.All(results.Where(r => r.BroadcastId is not null), r => Assert.Equal(id, r.BroadcastId));
        Assert.True(results.Count(r => r.Outcome == "started") <= 1);
        Assert.Equal(new DropResult("already_started", report.Str("upload_id"), id), results[^1]);

        // A canary dropped afterwards is started by a poll that also lists the first drop again.
        await DropRequestAsync(app, "canary.json", Request);
        var canary = await WaitReportAsync(app, "canary.result.json", await DropCsvAsync(app, "canary.csv", Numbers(100, 1)));
        await WaitFinishedAsync(app.Client, id, TimeSpan.FromSeconds(30));
        await WaitFinishedAsync(app.Client, canary.Str("broadcast_id"), TimeSpan.FromSeconds(30));

        Assert.Equal(new[] { id, canary.Str("broadcast_id") }.Order(), (await BroadcastsAsync(app)).Select(b => b.Str("id")).Order());
        var deliveries = stack.Sandbox.State.Deliveries("omnichat");
        Assert.Equal(6, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Two_instances_watching_one_container_start_one_broadcast_per_drop()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var prefix = TestApp.NewPrefix();
        await using var first = await TestApp.StartAsync(Settings(), prefix, sandbox.BaseUrl);
        await using var second = await TestApp.StartAsync(Settings(), prefix, sandbox.BaseUrl);

        const int drops = 6;
        for (var d = 0; d < drops; d++) await DropRequestAsync(first, $"batch-{d}.json", Request);
        var etags = new List<string>();
        for (var d = 0; d < drops; d++) etags.Add(await DropCsvAsync(first, $"batch-{d}.csv", Numbers(d * 10, 10)));

        var ids = new List<string>();
        for (var d = 0; d < drops; d++) ids.Add((await WaitReportAsync(second, $"batch-{d}.result.json", etags[d])).Str("broadcast_id"));
        foreach (var id in ids) Assert.Equal("completed", (await WaitFinishedAsync(first.Client, id, TimeSpan.FromSeconds(30))).Str("status"));

        Assert.Equal(ids.Order(), (await BroadcastsAsync(second)).Select(b => b.Str("id")).Order());
        var deliveries = sandbox.State.Deliveries("omnichat");
        Assert.Equal(drops * 10, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_drop_left_half_done_by_a_dead_instance_is_taken_over_without_a_second_broadcast()
    {
        // A watcher that polls once at start: this test alone decides when the drop is processed.
        await using var stack = await Stack.StartAsync(Settings(("Drops:PollInterval", "01:00:00")));
        var app = stack.App;
        var tables = StorageOf(app).Tables;
        var table = app.Services.GetRequiredService<StorageNames>().DropReceiptsTable;
        await DropRequestAsync(app, "resume.json", Request);
        var etag = await DropCsvAsync(app, "resume.csv", Numbers(0, 4));

        // Another instance holds a live claim: nothing starts here.
        var claim = new TableRow(DropReceipts.PartitionOf("resume.csv"), DropReceipts.RowOf(etag))
        {
            ["BlobName"] = "resume.csv", ["CsvETag"] = etag, ["State"] = DropReceipts.Claimed, ["Owner"] = "dead-instance",
            ["LeaseUntil"] = DateTimeOffset.UtcNow.AddMinutes(5), ["Attempts"] = 1,
        };
        await tables.InsertAsync(table, claim, CancellationToken.None);
        var held = await ProcessAsync(app, "resume.csv");
        Assert.Equal("already_started", held.Outcome);
        Assert.Null(held.BroadcastId);
        Assert.Empty(await BroadcastsAsync(app));

        // Its lease runs out (it died before starting anything): this instance takes the drop over.
        await ExpireAsync(tables, table, "resume.csv", etag);
        var taken = await ProcessAsync(app, "resume.csv");
        Assert.Equal("started", taken.Outcome);

        // It died after starting the broadcast but before recording it: the drop's idempotency key finds that broadcast.
        await ExpireAsync(tables, table, "resume.csv", etag, state: DropReceipts.Claimed);
        await StorageOf(app).Blobs.DeleteAsync(DropHelpers.Container(app), "resume.result.json", CancellationToken.None);
        var resumed = await ProcessAsync(app, "resume.csv");
        Assert.Equal(new DropResult("already_started", taken.UploadId, taken.BroadcastId), resumed);
        Assert.Equal(taken.BroadcastId, (await WaitReportAsync(app, "resume.result.json", etag)).Str("broadcast_id"));

        await WaitFinishedAsync(app.Client, taken.BroadcastId!, TimeSpan.FromSeconds(30));
        Assert.Single(await BroadcastsAsync(app));
        Assert.All(stack.Sandbox.State.Deliveries("omnichat").Values, n => Assert.Equal(1, n));
        Assert.Equal(4, stack.Sandbox.State.Deliveries("omnichat").Count);
        // The taking-over instance's own import was a spare: only the broadcast's upload is kept.
        var uploads = await BlobNamesAsync(app, app.Services.GetRequiredService<StorageNames>().UploadsContainer);
        Assert.Equal([taken.UploadId!], uploads.Select(n => n.Split('/')[0]).Distinct());
    }

    private static async Task ExpireAsync(ITableStore tables, string table, string blob, string etag, string? state = null)
    {
        var row = (await tables.GetAsync(table, DropReceipts.PartitionOf(blob), DropReceipts.RowOf(etag), CancellationToken.None))!;
        row["LeaseUntil"] = DateTimeOffset.UtcNow.AddSeconds(-1);
        if (state is not null) row["State"] = state;
        await tables.ReplaceAsync(table, row, CancellationToken.None);
    }
}
