using System.Net;
using Broadcast.Core.Storage;
using Broadcast.Storage;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Integration.Storage;

/// <summary>Each app's storage gates are its container's own: two apps in one process (as the tests and benchmarks
/// run them) neither share nor reset each other's limits.</summary>
public sealed class StorageGatesTests
{
    [Fact]
    public async Task Two_apps_in_one_process_keep_their_own_storage_gates()
    {
        await using var narrow = await TestApp.StartAsync(new Dictionary<string, string?> { ["Storage:ReadConcurrency"] = "1" });
        // Started second: when the gates were process-wide, registering this app reset the first app's to its own.
        await using var wide = await TestApp.StartAsync();
        var narrowGates = narrow.Services.GetRequiredService<StorageCallGates>();
        var wideGates = wide.Services.GetRequiredService<StorageCallGates>();

        Assert.NotSame(narrowGates, wideGates);
        Assert.Same(narrowGates, narrow.Services.GetRequiredService<StorageCallGates>());
        Assert.Equal(1, narrowGates.ReadConcurrency);
        Assert.Equal(new StorageClientSettings().ReadConcurrency, wideGates.ReadConcurrency);

        // The narrow app's one read slot is taken: its own reads wait for it, the wide app's do not.
        Task<HttpResponseMessage> waitingRead;
        using (await narrowGates.EnterAsync(StorageLane.Read))
        {
            var wideRead = await wide.Client.GetAsync("api/broadcasts/b-none");
            Assert.Equal(HttpStatusCode.NotFound, wideRead.StatusCode);

            waitingRead = narrow.Client.GetAsync("api/broadcasts/b-none");
            await Poll.UntilAsync(() => Task.FromResult(narrowGates.ReadsWaiting), n => n == 1, TimeSpan.FromSeconds(30),
                "the narrow app's read to wait for its slot");
            Assert.Equal(0, wideGates.ReadsWaiting);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await waitingRead).StatusCode);
        Assert.Equal(0, narrowGates.ReadsWaiting);
    }
}
