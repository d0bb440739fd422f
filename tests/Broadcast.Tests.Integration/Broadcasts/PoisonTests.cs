using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Broadcasts;

public sealed class PoisonTests
{
    [Fact]
    public async Task A_batch_that_keeps_failing_fails_its_recipients_with_the_reason_and_the_broadcast_ends()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>
        {
            ["Workflow:RetryDelay"] = "00:00:00.050",
            ["Workflow:MaxDequeueCount"] = "5",
        });
        var id = await CreateAsync(stack.App.Client, new
        {
            provider = "omnichat", text = "x", started_at = DateTimeOffset.UtcNow.AddSeconds(2), recipients = InlineRecipients(150),
        });
        // Lose the recipient list (150: more than a page, so it is kept in blobs, not in the row) before the batch
        // runs: every try of the batch fails the same way.
        var storage = stack.App.Services.GetRequiredService<IStorage>();
        var names = stack.App.Services.GetRequiredService<StorageNames>();
        var list = new RecipientSetLocation(names.BroadcastsContainer, id);
        await storage.Blobs.DeleteAsync(list.Container, list.DataBlob, default);
        await storage.Blobs.DeleteAsync(list.Container, list.IndexBlob, default);

        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(60));
        Assert.Equal("failed", done.Str("status"));
        Assert.Equal(150, done.GetProperty("total_failed").GetInt32());
        Assert.Empty(stack.Sandbox.State.Requests("omnichat"));

        var batch = await stack.App.Services.GetRequiredService<BatchStore>().GetAsync(id, 0, default);
        Assert.NotNull(batch);
        Assert.All(batch.Outcomes, o =>
        {
            Assert.Equal("failed", o.Status);
            Assert.Contains("gave up after 5 tries of this batch", o.Error);
            Assert.Contains("missing", o.Error);
        });
    }

    [Fact]
    public async Task Without_api_keys_the_app_refuses_to_start_outside_development()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(new Dictionary<string, string?> { ["Api:Keys"] = "" }));
        Assert.Contains("Api__Keys", error.Message);
    }
}
