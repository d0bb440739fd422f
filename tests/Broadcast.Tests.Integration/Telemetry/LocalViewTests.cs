using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Xunit.Abstractions;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Telemetry;

[Collection(nameof(TelemetryTests))]
public sealed class LocalViewTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_local_view_shows_a_broadcasts_trace_as_a_tree_and_the_metrics_with_its_sends()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:LocalView"] = "true",
            ["Vendors:Omnichat:RatePerSecond"] = "0",
            ["Workflow:FastPath"] = "false", // the queue path: request → start → batch → calls
        });
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailPhones = new() { [Phone(2)] = 400 } });
        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", text = "hi", recipients = InlineRecipients(3) });
        await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));

        // The batch span ends a moment after the counters are visible.
        var overview = await Poll.UntilAsync(() => stack.App.GetJsonAsync($"api/telemetry?broadcast_id={id}"),
            o => o.GetProperty("traces").GetArrayLength() == 1 && o.GetProperty("traces")[0].GetProperty("spans").GetInt32() >= 4,
            TimeSpan.FromSeconds(10), "the broadcast's trace in the local view");
        var trace = overview.GetProperty("traces")[0];
        Assert.Equal(1, trace.GetProperty("errors").GetInt32());
        var sends = overview.GetProperty("metrics").EnumerateArray().Where(m => m.Str("name") == "broadcast.sends").ToList();
        Assert.Contains(sends, m => m.GetProperty("attributes").Str("broadcast.outcome") == "sent" && m.GetProperty("value").GetDouble() >= 2);

        var tree = await stack.App.GetJsonAsync($"api/telemetry/traces/{trace.Str("trace_id")}");
        var names = tree.EnumerateArray().Select(s => (s.GetProperty("depth").GetInt32(), s.Str("name"))).ToList();
        Assert.Equal((0, "POST /api/broadcasts/"), names[0]);
        // The orchestration's activities, each a child of the request that accepted the broadcast.
        Assert.Contains((1, "broadcast batch"), names);
        var failed = Assert.Single(tree.EnumerateArray(), s => s.Str("status") == "error");
        Assert.Equal("omnichat send", failed.Str("name"));
        Assert.Equal("…0002", failed.GetProperty("attributes").Str("broadcast.recipient"));

        output.WriteLine(JsonSerializer.Serialize(overview, new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine(JsonSerializer.Serialize(tree, new JsonSerializerOptions { WriteIndented = true }));
    }
}
