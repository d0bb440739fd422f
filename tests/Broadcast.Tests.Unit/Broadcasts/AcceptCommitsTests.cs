using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Broadcast.Tests.Unit.Broadcasts;

/// <summary>The accept step's group commit, on the in-memory storage: whatever the grouping, every accepted broadcast
/// has its row and exactly one start; a caller waits for one table transaction, and a start the queue did not take
/// is enqueued by the sweep.</summary>
public sealed class AcceptCommitsTests
{
    private static readonly StorageNames Names = new("accept");

    private static BroadcastRecord NewRecord(int i)
    {
        var id = BroadcastStore.NewId(DateTimeOffset.UtcNow) + i;
        var recipients = new RecipientSetLocation(Names.BroadcastsContainer, id) { Inline = "[2,\"6281200000001\",null,[],null,null,null]\n" };
        return new BroadcastRecord
        {
            Definition = new BroadcastDefinition(id, null, Provider.Omnichat, new MessageContent("hi", null, null), new ChannelSpec(),
                false, DeliveryGuarantee.AtLeastOnce, false, null, recipients, 1, RecipientSetIndex.DefaultPageSize, 5, [], null, DateTimeOffset.UtcNow, true),
        };
    }

    private static (AcceptCommits Commits, StartMarkers Markers) Build(IStorage storage, TimeProvider time)
    {
        var markers = new StartMarkers(storage, Names, time, NullLogger<StartMarkers>.Instance);
        return (new AcceptCommits(storage, Names, markers, time, NullLogger<AcceptCommits>.Instance), markers);
    }

    [Fact]
    public async Task Two_hundred_broadcasts_accepted_at_once_each_get_their_row_and_exactly_one_start()
    {
        var storage = new InMemoryStorage();
        var (commits, _) = Build(storage, TimeProvider.System);
        var records = Enumerable.Range(0, 200).Select(NewRecord).ToList();

        await Task.WhenAll(records.Select(r => Task.Run(() => commits.CommitAsync(r, TimeSpan.Zero, default))));

        var store = new BroadcastStore(storage.Tables, Names);
        foreach (var r in records)
        {
            var row = await store.GetAsync(r.Id, default);
            Assert.NotNull(row);
            Assert.Equal(row.ETag, r.ETag); // the caller may write on with the ETag it got
        }
        // The start items go out right after the callers are answered, and then the markers go.
        var started = new List<string>();
        var queue = storage.Queue(Names.StartQueue);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((started.Count < records.Count || await MarkersAsync(storage) > 0) && DateTime.UtcNow < deadline)
        {
            foreach (var m in await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), default))
                started.AddRange(StartWorkItem.Parse(m.Content).Each().Select(i => i.BroadcastId));
            await Task.Delay(10);
        }
        Assert.Equal(records.Select(r => r.Id).Order(), started.Order());
        Assert.Equal(0, await MarkersAsync(storage));
        var (listed, _) = await store.ListAsync(1000, null, default);
        Assert.Equal(records.Count, listed.Count); // a list of broadcasts never shows a marker
    }

    [Fact]
    public async Task With_the_queue_service_down_callers_are_still_accepted_and_the_sweep_starts_their_broadcasts_later()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var storage = new SwitchableQueues(new InMemoryStorage(time));
        var (commits, markers) = Build(storage, time);
        var records = Enumerable.Range(0, 5).Select(NewRecord).ToList();

        foreach (var r in records) await commits.CommitAsync(r, TimeSpan.FromMinutes(5), default);
        // Each commit tries its start items right after answering, and fails.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (storage.RefusedEnqueues < records.Count && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(records.Count, storage.RefusedEnqueues);

        var store = new BroadcastStore(storage.Tables, Names);
        foreach (var r in records) Assert.NotNull(await store.GetAsync(r.Id, default));
        Assert.Equal(records.Count, await MarkersAsync(storage)); // each commit left its marker

        storage.QueuesUp = true;
        Assert.Equal(0, await markers.SweepAsync(default)); // too young: its commit may still be enqueueing
        time.Advance(StartMarkers.Grace);
        Assert.Equal(records.Count, await markers.SweepAsync(default));
        Assert.Equal(0, await MarkersAsync(storage));

        // Each start is visible when its timer said, counted from the accept, not from the sweep.
        var queue = storage.Queue(Names.StartQueue);
        Assert.Empty(await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), default));
        time.Advance(TimeSpan.FromMinutes(4));
        var started = (await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), default)).SelectMany(m => StartWorkItem.Parse(m.Content).Each()).Select(i => i.BroadcastId);
        Assert.Equal(records.Select(r => r.Id).Order(), started.Order());
    }

    private static async Task<int> MarkersAsync(IStorage storage) =>
        (await storage.Tables.QueryAsync(Names.BroadcastsTable, BroadcastRecord.Partition, StartMarkers.RowKeyPrefix, 1000, null, default)).Rows.Count;

    /// <summary>Tables work; queues are down until <see cref="QueuesUp"/>.</summary>
    private sealed class SwitchableQueues(InMemoryStorage inner) : IStorage
    {
        public volatile bool QueuesUp;
        public ITableStore Tables => inner.Tables;
        public IBlobStore Blobs => inner.Blobs;
        private int _refused;
        public int RefusedEnqueues => Volatile.Read(ref _refused);
        public IWorkQueue Queue(string name) => QueuesUp ? inner.Queue(name) : new DownQueue(name, () => Interlocked.Increment(ref _refused));
        public Task EnsureCreatedAsync(CancellationToken ct) => Task.CompletedTask;
        public Task<bool> PingAsync(CancellationToken ct) => Task.FromResult(QueuesUp);
    }

    private sealed class DownQueue(string name, Action refused) : IWorkQueue
    {
        public string Name => name;
        public Task EnqueueAsync(string content, TimeSpan delay, CancellationToken ct)
        {
            refused();
            throw new StorageUnavailableException("queues are down");
        }
        public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int max, TimeSpan visibilityTimeout, CancellationToken ct) => throw new StorageUnavailableException("queues are down");
        public Task DeleteAsync(QueuedMessage message, CancellationToken ct) => throw new StorageUnavailableException("queues are down");
        public Task<QueuedMessage> ExtendAsync(QueuedMessage message, TimeSpan visibilityTimeout, CancellationToken ct) => throw new StorageUnavailableException("queues are down");
    }
}
