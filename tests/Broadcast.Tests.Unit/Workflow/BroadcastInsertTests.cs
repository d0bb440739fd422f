using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure.Storage;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>A broadcast's row written once, as the storage client's retries can make it look twice.</summary>
public sealed class BroadcastInsertTests
{
    private static readonly StorageNames Names = new("insert");

    private static BroadcastRecord Record(string id, string text) => new()
    {
        Definition = new BroadcastDefinition(id, null, Provider.Omnichat, new MessageContent(text, null, null), new ChannelSpec(), false,
            DeliveryGuarantee.AtLeastOnce, false, null, new RecipientSetLocation(Names.BroadcastsContainer, id), 1, RecipientSetIndex.DefaultPageSize,
            5, [], null, DateTimeOffset.UnixEpoch, true),
        Status = BroadcastStatus.Scheduled,
        Accepted = true,
    };

    [Fact]
    public async Task An_insert_stored_on_its_first_attempt_and_answered_409_on_the_clients_retry_is_the_broadcasts_own()
    {
        var tables = new RetriedInserts(new InMemoryStorage().Tables);
        var store = new BroadcastStore(tables, Names, DurableHarness.NoInstances(), TimeProvider.System);
        var record = Record(BroadcastStore.NewId(DateTimeOffset.UtcNow), "hi");

        await store.InsertAsync(record, default);

        var stored = await store.GetAsync(record.Definition.Id, default);
        Assert.NotNull(stored);
        Assert.Equal(stored.ETag, record.ETag); // later writes of the row go on from the stored version
    }

    [Fact]
    public async Task Another_broadcasts_row_under_the_same_id_is_still_a_conflict()
    {
        var storage = new InMemoryStorage();
        var store = new BroadcastStore(storage.Tables, Names, DurableHarness.NoInstances(), TimeProvider.System);
        var id = BroadcastStore.NewId(DateTimeOffset.UtcNow);
        await store.InsertAsync(Record(id, "first"), default);

        await Assert.ThrowsAsync<StorageConflictException>(() => store.InsertAsync(Record(id, "second"), default));
    }

    /// <summary>Each insert reaches storage, and its answer is lost: the client sends it again, which finds the row.</summary>
    private sealed class RetriedInserts(ITableStore inner) : TableStoreDecorator(inner)
    {
        public override async Task<string> InsertAsync(string table, TableRow row, CancellationToken ct)
        {
            await Inner.InsertAsync(table, row, ct);
            return await Inner.InsertAsync(table, row, ct);
        }
    }
}
