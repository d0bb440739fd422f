using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Core.Vendors.Omnichat;
using Broadcast.Sandbox;
using Broadcast.Storage;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Pacing;

/// <summary>One channel, several app processes on one storage account: the channel's pace holds for all of them,
/// a killed one's share goes to the survivors, and the pair rate holds across processes.</summary>
public sealed class ClusterPacingTests
{
    private const string DeviceKey = "bc8bae5a-0997-40a2-a827-b95adc714dd3"; // AppProcess's Omnichat device

    private static string OmnichatChannel()
    {
        using var client = new OmnichatClient(new OmnichatOptions { ApiKey = "sandbox-omnichat-key", DeviceKey = DeviceKey });
        return PacingKeys.Channel(client.ChannelKey(new ChannelSpec(DeviceKey: DeviceKey)));
    }

    /// <summary>Each live instance's lease row: its rate share and whether it is sending.</summary>
    private static async Task<List<(string Row, double Rate, long Sent, DateTimeOffset ExpiresAt)>> LeasesAsync(string prefix)
    {
        var azurite = await Azurite.SharedAsync();
        var names = new StorageNames(prefix);
        var storage = AzureStorage.FromConnectionString(azurite.ConnectionString, names);
        try
        {
            var page = await storage.Tables.QueryAsync(names.ChannelLeasesTable, OmnichatChannel(), "i:", 100, null, CancellationToken.None);
            return page.Rows.Where(r => r.RowKey.StartsWith("i:", StringComparison.Ordinal) && r.GetBool("Active"))
                .Select(r => (r.RowKey, r["Rate"] is double d ? d : 0, r.GetLong("Sent"), r.GetDate("ExpiresAt") ?? default)).ToList();
        }
        catch (Exception)
        {
            return []; // no table before the first heartbeat
        }
    }

    [Fact]
    public async Task Two_processes_share_an_80_per_second_channel_without_a_429_and_a_killed_one_releases_its_share_within_10_s()
    {
        const int count = 1000;
        await using var sandbox = await SandboxApp.StartAsync();
        // The vendor allows 80/s with 10 % headroom for jitter; two unpaced-together instances would get 429s.
        sandbox.State.Configure("omnichat", new VendorBehavior { RateLimitPerSecond = 88 });
        var prefix = TestApp.NewPrefix();
        var settings = new Dictionary<string, string>
        {
            ["Vendors__Omnichat__RatePerSecond"] = "80",
            ["Workflow__BatchSize"] = "100",
            ["Workflow__MaxConcurrentBatches"] = "4",
        };
        await using var one = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings);
        await using var two = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings, worker: "b");

        var id = await CreateAsync(one.Client, new { provider = "omnichat", text = "paced", recipients = InlineRecipients(count) });

        // Both send, each at half the channel.
        var shared = await Poll.UntilAsync(() => LeasesAsync(prefix), rows => rows.Count == 2 && rows.All(r => Math.Abs(r.Rate - 40) < 0.01 && r.Sent > 0),
            TimeSpan.FromSeconds(30), "both instances to send at 40/s each");
        await Poll.UntilAsync(() => Task.FromResult(sandbox.State.AcceptedCount("omnichat")), n => n >= 400, TimeSpan.FromSeconds(30), "400 sends");

        two.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var survivor = await Poll.UntilAsync(() => LeasesAsync(prefix),
            rows => rows.Count(r => r.ExpiresAt > DateTimeOffset.UtcNow) == 1 && rows.Any(r => r.ExpiresAt > DateTimeOffset.UtcNow && Math.Abs(r.Rate - 80) < 0.01),
            TimeSpan.FromSeconds(10), "the survivor to take the whole channel within 10 s of the kill");
        Assert.True(DateTimeOffset.UtcNow - killedAt < TimeSpan.FromSeconds(10));

        var final = await WaitFinishedAsync(one.Client, id, TimeSpan.FromSeconds(90));
        Assert.Equal("completed", final.Str("status"));
        Assert.Equal(count, final.GetProperty("total_sent").GetInt32());
        // Not one 429, before or after the kill. (The killed process's own calls in flight are cut off: the sandbox
        // records them as 499, not as throttled.)
        Assert.Equal(0, sandbox.State.Requests("omnichat").Count(r => r.StatusCode == (int)System.Net.HttpStatusCode.TooManyRequests));
        var deliveries = sandbox.State.Deliveries("omnichat");
        Assert.Equal(count, deliveries.Count); // nobody lost
        // Only what the killed instance had in flight may repeat (at_least_once).
        Assert.True(deliveries.Values.Sum() - count <= 80, $"{deliveries.Values.Sum() - count} sent twice");
    }

    [Fact]
    public async Task With_a_6_s_pair_interval_two_messages_to_one_number_through_two_processes_1_s_apart_reach_the_vendor_6_s_apart()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var prefix = TestApp.NewPrefix();
        var settings = new Dictionary<string, string> { ["Vendors__Omnichat__MinIntervalPerRecipient"] = "00:00:06" };
        await using var one = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings);
        await using var two = await AppProcess.StartAsync(prefix, sandbox.BaseUrl, settings, worker: "b");

        var first = await one.PostJsonAsync("api/messages", new { provider = "omnichat", to = "+62 812-9064-1111", text = "first" });
        await Poll.UntilAsync(() => Task.FromResult(sandbox.State.AcceptedCount("omnichat")), n => n >= 1, TimeSpan.FromSeconds(20), "the first message");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario itself: the second message comes a second later
        var second = await two.PostJsonAsync("api/messages", new { provider = "omnichat", to = "6281290641111", text = "second" });
        var other = await two.PostJsonAsync("api/messages", new { provider = "omnichat", to = "6281290642222", text = "another number" });
        var ids = new List<string>();
        foreach (var response in new[] { first, second, other }) ids.Add((await response.JsonAsync()).Str("id"));
        foreach (var id in ids) Assert.Equal("completed", (await WaitFinishedAsync(one.Client, id, TimeSpan.FromSeconds(30))).Str("status"));

        var requests = sandbox.State.Requests("omnichat").Where(r => r.StatusCode == 200).ToList();
        var toOne = requests.Where(r => r.Body.Contains("6281290641111")).Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(2, toOne.Count);
        Assert.True(toOne[1] - toOne[0] >= TimeSpan.FromSeconds(6), $"{(toOne[1] - toOne[0]).TotalSeconds:0.00} s apart");
        var toOther = requests.Single(r => r.Body.Contains("6281290642222")).ReceivedAt;
        Assert.True(toOther < toOne[1], "a message to another number waited for someone else's interval");
    }
}
