using Broadcast.Core.Campaigns;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Sandbox;
using Broadcast.Storage;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Campaigns;

/// <summary>max_per_minute end to end, on the real clock: what the vendors receive, and when.</summary>
public sealed class SpeedCapTests
{
    /// <summary>The instances sending the broadcast under its cap, by their rows in the lease table.</summary>
    private static async Task<int> CapSharersAsync(string prefix, string broadcastId)
    {
        var azurite = await Azurite.SharedAsync();
        var names = new StorageNames(prefix);
        var storage = AzureStorage.FromConnectionString(azurite.ConnectionString, names);
        try
        {
            var page = await storage.Tables.QueryAsync(names.ChannelLeasesTable, PacingKeys.Channel(SpeedCaps.Key(broadcastId)), "i:", 100, null, CancellationToken.None);
            return page.Rows.Count(r => r.RowKey.StartsWith("i:", StringComparison.Ordinal) && r.GetBool("Active") && r.GetLong("Sent") > 0);
        }
        catch (Exception)
        {
            return 0; // no table before the first heartbeat
        }
    }

    [Fact]
    public async Task Max_per_minute_600_holds_to_5_percent_over_a_minute_with_two_instances_sending_the_broadcast()
    {
        const int count = 700;
        await using var sandbox = await SandboxApp.StartAsync();
        var prefix = TestApp.NewPrefix();
        var settings = new Dictionary<string, string?>(Stack.FastRetries)
        {
            ["Workflow:BatchSize"] = "100",
            ["Workflow:MaxConcurrentBatches"] = "4", // every batch sends at once: the cap, not the batches, sets the pace
        };
        await using var one = await TestApp.StartAsync(settings, prefix, sandbox.BaseUrl);
        await using var two = await TestApp.StartAsync(settings, prefix, sandbox.BaseUrl);

        var id = await CreateAsync(one.Client, new { provider = "omnichat", text = "Hi {name}", max_per_minute = 600, recipients = InlineRecipients(count) });
        await Poll.UntilAsync(() => CapSharersAsync(prefix, id), n => n == 2, TimeSpan.FromSeconds(60), "both instances to send under the cap");
        var final = await WaitFinishedAsync(one.Client, id, TimeSpan.FromSeconds(150));

        Assert.Equal(count, final.GetProperty("total_sent").GetInt32());
        Assert.Equal(600, final.GetProperty("max_per_minute").GetInt32());
        var times = sandbox.State.Requests("omnichat").Where(r => r.StatusCode == 200).Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(count, times.Count);
        var firstMinute = times.Count(t => t < times[0] + TimeSpan.FromMinutes(1));
        Assert.InRange(firstMinute, 570, 630);
        var busiest = times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < TimeSpan.FromMinutes(1)).Count()).Max();
        Assert.InRange(busiest, 570, 630);
    }

    [Fact]
    public async Task A_capped_broadcasts_failover_sends_take_turns_of_its_cap_too()
    {
        const int count = 300, perMinute = 3000; // 50 a second: below both vendors' 80, so the cap sets the pace
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>(Stack.FastRetries));
        var failing = Enumerable.Range(0, count).Where(i => i % 2 == 0).Select(Phone).ToList();
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { OmnichatStatusFalsePhones = [.. failing] });

        var id = await CreateAsync(stack.App.Client, new
        {
            provider = "omnichat", text = "Hi {name}", fallback = new[] { "khoros" }, max_per_minute = perMinute, recipients = InlineRecipients(count),
        });
        var final = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(60));

        Assert.Equal(count, final.GetProperty("total_sent").GetInt32());
        Assert.Equal(failing.Count, final.GetProperty("total_failover").GetInt32());
        // 300 asked of Omnichat and 150 of Khoros: 450 messages out, each on a turn of the cap, so no sooner than 20 ms
        // apart (without a turn of their own, the 150 went out beside the 300 in 6 s).
        var times = stack.Sandbox.State.Requests("omnichat").Concat(stack.Sandbox.State.Requests("khoros")).Select(r => r.ReceivedAt).Order().ToList();
        Assert.Equal(count + failing.Count, times.Count);
        var slot = TimeSpan.FromMinutes(1) / perMinute;
        // 15 % short at most: a send that went out late, the first above all, lets the ones after it catch up on their slots.
        Assert.True(times[^1] - times[0] >= (times.Count - 1) * slot * 0.85, $"450 sends took {(times[^1] - times[0]).TotalSeconds:0.00} s");
    }
}
