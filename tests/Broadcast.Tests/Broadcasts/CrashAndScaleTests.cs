using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Broadcasts;

public sealed class CrashAndScaleTests
{
    private const int Count = 1000;

    private static async Task<(Dictionary<string, int> Deliveries, JsonElement Final, List<JsonElement> Log)> KillMidBroadcastAndRestartAsync(string delivery)
    {
        await using var sandbox = await SandboxApp.StartAsync();
        sandbox.State.Configure("omnichat", new VendorBehavior { LatencyMs = 20 });
        var prefix = TestApp.NewPrefix();
        var settings = new Dictionary<string, string> { ["Vendors__Omnichat__RatePerSecond"] = "150" };
        string id;
        await using (var first = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings))
        {
            id = await CreateAsync(first.Client, new { provider = "omnichat", text = "crash test", delivery, recipients = InlineRecipients(Count) });
            await Poll.UntilAsync(() => Task.FromResult(sandbox.State.AcceptedCount("omnichat")), n => n >= 300, TimeSpan.FromSeconds(60), "a third of the sends");
            first.Kill();
        }
        var atKill = sandbox.State.AcceptedCount("omnichat");
        Assert.True(atKill < Count, "the broadcast finished before the kill; the test proves nothing");

        await using var second = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings);
        var final = await WaitFinishedAsync(second.Client, id, TimeSpan.FromSeconds(120));
        var log = await AllRecipientsAsync(second.Client, id);
        return (new Dictionary<string, int>(sandbox.State.Deliveries("omnichat")), final, log);
    }

    [Fact]
    public async Task At_least_once_killed_mid_broadcast_loses_nobody_and_repeats_only_what_was_in_flight()
    {
        var (deliveries, final, log) = await KillMidBroadcastAndRestartAsync("at_least_once");

        Assert.Equal("completed", final.Str("status"));
        Assert.Equal(Count, final.GetProperty("total_sent").GetInt32());
        Assert.Equal(Count, deliveries.Count); // nobody lost
        Assert.All(log, r => Assert.Equal("sent", r.Str("status")));
        var repeats = deliveries.Values.Sum() - Count;
        // In flight at the kill: what the channel had started in the last commit window (0.5 s at 150/s) and calls
        // waiting on the 20 ms vendor; anything beyond that would mean committed work was redone.
        Assert.True(repeats <= 150, $"{repeats} recipients were sent twice");
    }

    [Fact]
    public async Task At_most_once_killed_mid_broadcast_never_sends_twice_and_marks_the_in_flight_unknown()
    {
        var (deliveries, final, log) = await KillMidBroadcastAndRestartAsync("at_most_once");

        Assert.All(deliveries.Values, n => Assert.Equal(1, n)); // nobody twice
        Assert.Equal("completed", final.Str("status"));
        var unknown = log.Where(r => r.Str("status") == "unknown").ToList();
        Assert.Equal(Count, log.Count(r => r.Str("status") is "sent" or "unknown"));
        Assert.Equal(unknown.Count, final.GetProperty("total_unknown").GetInt32());
        Assert.All(log.Where(r => r.Str("status") == "sent"), r => Assert.Equal(1, deliveries[r.Str("phone_number")]));
        Assert.All(log.Where(r => !deliveries.ContainsKey(r.Str("phone_number"))), r => Assert.Equal("unknown", r.Str("status")));
        Assert.True(unknown.Count <= 16 * 16, $"{unknown.Count} unknown: more than the waves that can be in flight");
    }

    [Fact]
    public async Task Two_app_instances_on_one_storage_account_finish_one_broadcast_together_sending_nobody_twice()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        sandbox.State.Configure("omnichat", new VendorBehavior { LatencyMs = 10 });
        var prefix = TestApp.NewPrefix();
        var settings = new Dictionary<string, string?>
        {
            ["Vendors:Omnichat:RatePerSecond"] = "0",
            ["Workflow:MaxConcurrentBatches"] = "2",
            ["Workflow:BatchSize"] = "100",
            ["Messaging:RetryBaseDelay"] = "00:00:00.050",
        };
        await using var one = await TestApp.StartAsync(settings, prefix, sandbox.BaseUrl);
        await using var two = await TestApp.StartAsync(settings, prefix, sandbox.BaseUrl);

        var id = await CreateAsync(one.Client, new { provider = "omnichat", text = "together", recipients = InlineRecipients(Count) });
        var final = await WaitFinishedAsync(two.Client, id, TimeSpan.FromSeconds(60));

        Assert.Equal(Count, final.GetProperty("total_sent").GetInt32());
        var deliveries = sandbox.State.Deliveries("omnichat");
        Assert.Equal(Count, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));

        var tables = one.Services.GetRequiredService<IStorage>().Tables;
        var names = one.Services.GetRequiredService<StorageNames>();
        var batches = await tables.QueryAsync(names.BatchesTable, id, null, 100, null, default);
        var owners = batches.Rows.Select(r => r.GetString("Owner")).Distinct().Count();
        Assert.True(owners >= 2, $"only {owners} worker(s) took batches");
    }
}
