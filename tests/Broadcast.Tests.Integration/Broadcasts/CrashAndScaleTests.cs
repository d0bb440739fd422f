using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Broadcasts;

public sealed class CrashAndScaleTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Count = 1000;

    /// <summary>Starts a broadcast in a real app process, SIGKILLs it once <paramref name="killAt"/> recipients were
    /// sent, starts a new process on the same storage and waits for the broadcast to finish.</summary>
    private static async Task<(Dictionary<string, int> Deliveries, JsonElement Final, List<JsonElement> Log)> KillMidBroadcastAndRestartAsync(
        string delivery, int count, int killAt, int ratePerSecond)
    {
        await using var sandbox = await SandboxApp.StartAsync();
        sandbox.State.Configure("omnichat", new VendorBehavior { LatencyMs = 20 });
        var prefix = TestApp.NewPrefix();
        var settings = new Dictionary<string, string>
        {
            ["Vendors__Omnichat__RatePerSecond"] = ratePerSecond.ToString(),
        };
        string id;
        await using (var first = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings))
        {
            var request = count <= 1000
                ? (object)new { provider = "omnichat", text = "crash test", delivery, recipients = InlineRecipients(count) }
                : new { provider = "omnichat", text = "crash test", delivery, upload_id = await UploadRecipientsAsync(first.Client, count) };
            id = await CreateAsync(first.Client, request);
            await Poll.UntilAsync(() => Task.FromResult(sandbox.State.AcceptedCount("omnichat")), n => n >= killAt, TimeSpan.FromSeconds(60), $"{killAt} sends");
            first.Kill();
        }
        var atKill = sandbox.State.AcceptedCount("omnichat");
        Assert.True(atKill < count, "the broadcast finished before the kill; the test proves nothing");

        var restartedAt = DateTimeOffset.UtcNow;
        await using var second = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings);
        await Poll.UntilAsync(() => Task.FromResult(sandbox.State.Requests("omnichat").Count(r => r.ReceivedAt > restartedAt)), n => n > 0,
            TimeSpan.FromSeconds(60), "a send from the restarted process within 60 s");
        var firstSend = sandbox.State.Requests("omnichat").Where(r => r.ReceivedAt > restartedAt).Min(r => r.ReceivedAt);
        Console.WriteLine($"{delivery}: first send {(firstSend - restartedAt).TotalSeconds:F1} s after the restart");
        var final = await WaitFinishedAsync(second.Client, id, TimeSpan.FromSeconds(120));
        var log = await AllRecipientsAsync(second.Client, id);
        Assert.Equal(count, log.Count);
        return (new Dictionary<string, int>(sandbox.State.Deliveries("omnichat")), final, log);
    }

    [Fact]
    public async Task At_least_once_killed_mid_broadcast_loses_nobody_and_repeats_only_what_was_in_flight()
    {
        var (deliveries, final, log) = await KillMidBroadcastAndRestartAsync("at_least_once", Count, 300, 150);

        Assert.Equal("completed", final.Str("status"));
        Assert.Equal(Count, final.GetProperty("total_sent").GetInt32());
        Assert.Equal(Count, deliveries.Count); // nobody lost
        Assert.All(log, r => Assert.Equal("sent", r.Str("status")));
        var repeats = deliveries.Values.Sum() - Count;
        // In flight at the kill: what the channel had started in the last commit window (0.5 s at 150/s) and calls
        // waiting on the 20 ms vendor; anything beyond that would mean committed work was redone.
        output.WriteLine($"at_least_once, {Count} recipients killed mid-way: all sent, {repeats} twice");
        Assert.True(repeats <= 150, $"{repeats} recipients were sent twice");
    }

    [Fact]
    public async Task At_most_once_killed_mid_broadcast_never_sends_twice_and_only_the_calls_in_flight_end_unknown()
    {
        const int count = 6000;
        var (deliveries, final, log) = await KillMidBroadcastAndRestartAsync("at_most_once", count, 2000, 600);

        Assert.All(deliveries.Values, n => Assert.Equal(1, n)); // nobody twice
        Assert.Equal("completed", final.Str("status"));
        var unknown = log.Where(r => r.Str("status") == "unknown").ToList();
        Assert.Equal(count, log.Count(r => r.Str("status") is "sent" or "unknown")); // sent + unknown = everyone
        Assert.Equal(unknown.Count, final.GetProperty("total_unknown").GetInt32());
        Assert.Equal(count - unknown.Count, final.GetProperty("total_sent").GetInt32());
        Assert.All(log.Where(r => r.Str("status") == "sent"), r => Assert.Equal(1, deliveries[r.Str("phone_number")]));
        Assert.All(log.Where(r => !deliveries.ContainsKey(r.Str("phone_number"))), r => Assert.Equal("unknown", r.Str("status")));
        // Only the calls that could be in flight end unknown: at most the channel's MaxConcurrency (32) per process,
        // asserted with the issue's margin of twice that.
        output.WriteLine($"at_most_once, {count} recipients killed mid-way: {final.GetProperty("total_sent").GetInt32()} sent once, {unknown.Count} unknown");
        Assert.True(unknown.Count <= 64, $"{unknown.Count} unknown: more than the calls that can be in flight");
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
        var owners = batches.Rows.Select(r => r.GetString("RunBy")).Distinct().Count();
        Assert.True(owners >= 2, $"only {owners} worker(s) took batches");
    }
}
