using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure.Storage;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>How an instance sending a broadcast learns of a cancel made on another instance, on the in-memory storage
/// with the watch's own timer: by one notice row per tick, not by reading every broadcast it sends for.</summary>
public sealed class CancelWatchTests
{
    private static readonly StorageNames Names = new("watch");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Instances_read_one_notice_row_per_tick_and_still_see_a_cancel_made_elsewhere()
    {
        var tables = new CountingTables(new InMemoryStorage().Tables);
        var store = new BroadcastStore(tables, Names, DurableHarness.NoInstances(), TimeProvider.System);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++) ids.Add(await InsertRunningAsync(store, i));
        using var watch = new CancelWatch(store);
        var watches = ids.Select(id => watch.Watch(id, Environment.TickCount64)).ToList();

        await PollAsync(() => tables.NoticeReads >= 3);
        Assert.Equal(0, tables.BroadcastReads); // three ticks, nothing canceled: no broadcast read

        await CancelElsewhereAsync(store, ids[7]);
        await PollAsync(() => watch.IsCanceled(ids[7]));
        Assert.All(ids.Where(id => id != ids[7]), id => Assert.False(watch.IsCanceled(id)));
        foreach (var w in watches) w.Dispose();
    }

    [Fact]
    public async Task A_broadcast_read_before_a_cancel_whose_notice_was_already_taken_gets_a_look_of_its_own()
    {
        var tables = new CountingTables(new InMemoryStorage().Tables);
        var store = new BroadcastStore(tables, Names, DurableHarness.NoInstances(), TimeProvider.System);
        var other = await InsertRunningAsync(store, 0);
        var late = await InsertRunningAsync(store, 1);
        using var watch = new CancelWatch(store);
        using var first = watch.Watch(other, Environment.TickCount64);
        await PollAsync(() => tables.NoticeReads >= 1);

        var readBeforeCancel = Environment.TickCount64; // a batch read the broadcast, running, and then...
        await CancelElsewhereAsync(store, late);
        var readsBefore = tables.BroadcastReads;
        var notices = tables.NoticeReads;
        await PollAsync(() => tables.NoticeReads >= notices + 2); // ...the watcher took the notice meanwhile
        using var second = watch.Watch(late, readBeforeCancel); // ...and only now starts sending

        await PollAsync(() => watch.IsCanceled(late));
        Assert.False(watch.IsCanceled(other));
        // Seen by its own look, not by the full look every FullRefreshEvery: 'other' once at the notice, 'late' once.
        Assert.Equal(2, tables.BroadcastReads - readsBefore);
    }

    private static async Task<string> InsertRunningAsync(BroadcastStore store, int i)
    {
        var id = BroadcastStore.NewId(DateTimeOffset.UtcNow) + i;
        var recipients = new RecipientSetLocation(Names.BroadcastsContainer, id) { Inline = "[2,\"6281200000001\",null,[],null,null,null]\n" };
        await store.InsertAsync(new BroadcastRecord
        {
            Definition = new BroadcastDefinition(id, null, Provider.Omnichat, new MessageContent("hi", null, null), new ChannelSpec(),
                false, DeliveryGuarantee.AtLeastOnce, false, null, recipients, 1, RecipientSetIndex.DefaultPageSize, 5, [], null, DateTimeOffset.UtcNow, true),
            Status = BroadcastStatus.Running,
            StartedAt = DateTimeOffset.UtcNow,
        }, default);
        return id;
    }

    /// <summary>What the cancel step of another instance writes: the row, then the notice.</summary>
    private static async Task CancelElsewhereAsync(BroadcastStore store, string id)
    {
        await store.UpdateAsync(id, r =>
        {
            r.Status = BroadcastStatus.Canceling;
            r.CanceledAt = DateTimeOffset.UtcNow;
            return true;
        }, default);
        await store.NoteCancelAsync(id, default);
    }

    private static async Task PollAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within the deadline");
            await Task.Delay(10);
        }
    }

    private sealed class CountingTables(ITableStore inner) : TableStoreDecorator(inner)
    {
        private int _noticeReads;
        private int _broadcastReads;
        public int NoticeReads => Volatile.Read(ref _noticeReads);
        public int BroadcastReads => Volatile.Read(ref _broadcastReads);

        public override Task<TableRow?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
        {
            if (rowKey == BroadcastRecord.RowKey) Interlocked.Increment(ref _broadcastReads);
            else Interlocked.Increment(ref _noticeReads);
            return Inner.GetAsync(table, partitionKey, rowKey, ct);
        }

        public override Task<TablePage> QueryAsync(string table, string partitionKey, string? fromRowKey, int take, string? continuation,
            CancellationToken ct, string? whereProperty = null, string? equalsValue = null)
        {
            Interlocked.Increment(ref _broadcastReads); // a broadcast with its live counters: its partition
            return Inner.QueryAsync(table, partitionKey, fromRowKey, take, continuation, ct, whereProperty, equalsValue);
        }
    }
}
