using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Storage;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broadcast.Tests.Integration.Pacing;

/// <summary>Two coordinators of one channel (two "instances") against a real Azurite, with fast heartbeats.</summary>
public sealed class ChannelCoordinatorTests
{
    private static readonly PacingOptions Fast = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        LeaseDuration = TimeSpan.FromSeconds(1),
        IdleAfter = TimeSpan.FromSeconds(30),
    };

    private static async Task<(ITableStore Tables, string Table)> TableAsync()
    {
        var azurite = await Azurite.SharedAsync();
        var names = new StorageNames(TestApp.NewPrefix());
        var storage = new AzureStorage(azurite.ConnectionString, names);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        return (storage.Tables, names.ChannelLeasesTable);
    }

    private static ChannelCoordinator Coordinator(ITableStore tables, string table, string instance) =>
        new(tables, table, "omnichat:acct:device", instance, 80, 32, Fast, TimeProvider.System, NullLogger.Instance);

    /// <summary>Keeps one send waiting on the coordinator, so that it counts as busy, until disposed.</summary>
    private static async Task<IAsyncDisposable> KeepBusyAsync(ChannelCoordinator coordinator)
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using (await coordinator.AcquireAsync(stop.Token)) await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        await Task.Yield();
        return new Busy(stop, loop);
    }

    private sealed class Busy(CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }

    [Fact]
    public async Task Two_instances_split_the_channel_a_429_on_one_slows_the_other_and_one_leaving_gives_its_share_back()
    {
        var (tables, table) = await TableAsync();
        await using var a = Coordinator(tables, table, "host-a");
        await using var b = Coordinator(tables, table, "host-b");
        await using (await KeepBusyAsync(a))
        {
            await Poll.UntilAsync(() => Task.FromResult(a.Throttle.Rate), r => Math.Abs(r - 80) < 0.01, TimeSpan.FromSeconds(10), "a alone to take 80/s");
            var busyB = await KeepBusyAsync(b);
            await Poll.UntilAsync(() => Task.FromResult((a.Throttle.Rate, b.Throttle.Rate, a.Throttle.Concurrency + b.Throttle.Concurrency)),
                s => Math.Abs(s.Item1 - 40) < 0.01 && Math.Abs(s.Item2 - 40) < 0.01 && s.Item3 == 32, TimeSpan.FromSeconds(10), "a and b at 40/s each, 32 calls between them");

            a.Throttled(TimeSpan.FromSeconds(3));
            await Poll.UntilAsync(() => Task.FromResult(b.Throttle.Rate), r => r < 21, TimeSpan.FromSeconds(5), "b to halve its pace after a's 429");

            await busyB.DisposeAsync();
            await b.DisposeAsync(); // gives its row back at once
            await Poll.UntilAsync(() => Task.FromResult(a.Throttle.Concurrency), c => c == 32, TimeSpan.FromSeconds(10), "a to hold the whole concurrency again");
        }
    }
}
