using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure.Storage;

namespace Broadcast.Tests.Unit.Broadcasts;

/// <summary>The accept step's group commit, on the in-memory storage: whatever the grouping, every accepted broadcast
/// has its row and exactly one start, and a group whose start could not be stored leaves no row behind.</summary>
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

    [Fact]
    public async Task Two_hundred_broadcasts_accepted_at_once_each_get_their_row_and_exactly_one_start()
    {
        var storage = new InMemoryStorage();
        var commits = new AcceptCommits(storage, Names);
        var records = Enumerable.Range(0, 200).Select(NewRecord).ToList();

        await Task.WhenAll(records.Select(r => Task.Run(() => commits.CommitAsync(r, TimeSpan.Zero, default))));

        var store = new BroadcastStore(storage.Tables, Names);
        foreach (var r in records)
        {
            var row = await store.GetAsync(r.Id, default);
            Assert.NotNull(row);
            Assert.Equal(row.ETag, r.ETag); // the caller may write on with the ETag it got
        }
        var started = new List<string>();
        var queue = storage.Queue(Names.StartQueue);
        IReadOnlyList<QueuedMessage> messages;
        while ((messages = await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), default)).Count > 0)
            foreach (var m in messages) started.AddRange(StartWorkItem.Parse(m.Content).Each().Select(i => i.BroadcastId));
        Assert.Equal(records.Select(r => r.Id).Order(), started.Order());
    }

    [Fact]
    public async Task A_group_whose_start_cannot_be_stored_fails_every_caller_and_leaves_no_row()
    {
        var storage = new NoQueues(new InMemoryStorage());
        var commits = new AcceptCommits(storage, Names);
        var records = Enumerable.Range(0, 5).Select(NewRecord).ToList();

        foreach (var r in records)
            await Assert.ThrowsAsync<StorageUnavailableException>(() => commits.CommitAsync(r, TimeSpan.Zero, default));

        var store = new BroadcastStore(storage.Tables, Names);
        foreach (var r in records) Assert.Null(await store.GetAsync(r.Id, default));
    }

    /// <summary>Tables work, queues are down.</summary>
    private sealed class NoQueues(IStorage inner) : IStorage
    {
        public ITableStore Tables => inner.Tables;
        public IBlobStore Blobs => inner.Blobs;
        public IWorkQueue Queue(string name) => new DownQueue(name);
        public Task EnsureCreatedAsync(CancellationToken ct) => Task.CompletedTask;
        public Task<bool> PingAsync(CancellationToken ct) => Task.FromResult(false);
    }

    private sealed class DownQueue(string name) : IWorkQueue
    {
        public string Name => name;
        public Task EnqueueAsync(string content, TimeSpan delay, CancellationToken ct) => throw new StorageUnavailableException("queues are down");
        public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int max, TimeSpan visibilityTimeout, CancellationToken ct) => throw new StorageUnavailableException("queues are down");
        public Task DeleteAsync(QueuedMessage message, CancellationToken ct) => throw new StorageUnavailableException("queues are down");
        public Task<QueuedMessage> ExtendAsync(QueuedMessage message, TimeSpan visibilityTimeout, CancellationToken ct) => throw new StorageUnavailableException("queues are down");
    }
}
