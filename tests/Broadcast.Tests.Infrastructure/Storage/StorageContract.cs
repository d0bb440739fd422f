using System.Text;
using Broadcast.Core.Storage;

namespace Broadcast.Tests.Infrastructure.Storage;

/// <summary>What the product relies on from <see cref="IStorage"/>, whatever is behind it. Every implementation (the
/// Azure SDK over a connection string, over a token credential, and any fake) runs this same suite, so none can drift.</summary>
public abstract class StorageContract
{
    /// <summary>A fresh storage whose tables, queues and containers carry <paramref name="names"/>' prefix.</summary>
    protected abstract Task<IStorage> CreateAsync(StorageNames names);

    private async Task<(IStorage Storage, StorageNames Names)> FreshAsync()
    {
        var names = new StorageNames("c" + Guid.NewGuid().ToString("N")[..10]);
        var storage = await CreateAsync(names);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        return (storage, names);
    }

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_row_keeps_every_property_type_and_reads_back_missing_as_null()
    {
        var (storage, names) = await FreshAsync();
        var when = new DateTimeOffset(2026, 11, 22, 10, 30, 15, TimeSpan.Zero);
        var row = new TableRow("p", "r")
        {
            ["Text"] = "héllo", ["Long"] = 5_000_000_000L, ["Int"] = 7, ["Flag"] = true, ["Ratio"] = 0.25, ["When"] = when,
            ["Bytes"] = new byte[] { 1, 2, 3 }, ["Nothing"] = null,
        };
        var etag = await storage.Tables.InsertAsync(names.BroadcastsTable, row, None);
        Assert.False(string.IsNullOrEmpty(etag));

        var read = await storage.Tables.GetAsync(names.BroadcastsTable, "p", "r", None);
        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal("héllo", read.GetString("Text"));
        Assert.Equal(5_000_000_000L, read.GetLong("Long"));
        Assert.Equal(7, read.GetInt("Int"));
        Assert.True(read.GetBool("Flag"));
        Assert.Equal(0.25, read["Ratio"]);
        Assert.Equal(when, read.GetDate("When"));
        Assert.Equal(new byte[] { 1, 2, 3 }, read.GetBytes("Bytes"));
        Assert.Null(read["Nothing"]);
        Assert.Null(await storage.Tables.GetAsync(names.BroadcastsTable, "p", "missing", None));
    }

    [Fact]
    public async Task Inserting_a_row_twice_is_a_conflict()
    {
        var (storage, names) = await FreshAsync();
        await storage.Tables.InsertAsync(names.BroadcastsTable, new TableRow("p", "r"), None);
        await Assert.ThrowsAsync<StorageConflictException>(() => storage.Tables.InsertAsync(names.BroadcastsTable, new TableRow("p", "r"), None));
    }

    [Fact]
    public async Task A_replace_with_a_stale_etag_loses_and_one_without_an_etag_always_wins()
    {
        var (storage, names) = await FreshAsync();
        var table = names.BroadcastsTable;
        var first = await storage.Tables.InsertAsync(table, new TableRow("p", "r") { ["N"] = 1L }, None);
        var second = await storage.Tables.ReplaceAsync(table, new TableRow("p", "r", first) { ["N"] = 2L }, None);
        Assert.NotEqual(first, second);

        await Assert.ThrowsAsync<StoragePreconditionFailedException>(() =>
            storage.Tables.ReplaceAsync(table, new TableRow("p", "r", first) { ["N"] = 3L }, None));
        await storage.Tables.ReplaceAsync(table, new TableRow("p", "r") { ["N"] = 4L }, None);
        Assert.Equal(4L, (await storage.Tables.GetAsync(table, "p", "r", None))!.GetLong("N"));

        await storage.Tables.DeleteAsync(table, "p", "r", None);
        await storage.Tables.DeleteAsync(table, "p", "r", None); // already gone: no error
        await Assert.ThrowsAsync<StoragePreconditionFailedException>(() =>
            storage.Tables.ReplaceAsync(table, new TableRow("p", "r", second) { ["N"] = 5L }, None));
    }

    [Fact]
    public async Task A_hundred_rows_go_in_one_transaction_and_come_back_in_order_a_page_at_a_time()
    {
        var (storage, names) = await FreshAsync();
        var table = names.BatchesTable;
        var rows = Enumerable.Range(0, 100).Select(i => new TableRow("p", i.ToString("D3")) { ["Even"] = i % 2 == 0 ? "yes" : "no" }).ToList();
        await storage.Tables.UpsertBatchAsync(table, rows, None);
        // Insert: all or none.
        var fresh = Enumerable.Range(0, 3).Select(i => new TableRow("q", $"n{i}")).ToList();
        await storage.Tables.InsertBatchAsync(table, fresh, None);
        await Assert.ThrowsAsync<StorageConflictException>(() =>
            storage.Tables.InsertBatchAsync(table, [new TableRow("q", "n9"), new TableRow("q", "n1")], None));
        Assert.Null(await storage.Tables.GetAsync(table, "q", "n9", None));
        var etags = await storage.Tables.UpsertBatchAsync(table, rows.Take(3).ToList(), None); // upsert: again is fine
        // Each answered ETag is the row's own: a conditional replace with it succeeds.
        Assert.Equal(3, etags.Count);
        var first = await storage.Tables.GetAsync(table, "p", "000", None);
        Assert.Equal(etags[0], first!.ETag);

        var keys = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await storage.Tables.QueryAsync(table, "p", null, 30, continuation, None);
            Assert.True(page.Rows.Count <= 30);
            keys.AddRange(page.Rows.Select(r => r.RowKey));
            continuation = page.Continuation;
            Assert.True(continuation is null || !continuation.Contains('\n'));
            pages++;
        } while (continuation is not null);
        Assert.Equal(rows.Select(r => r.RowKey), keys);
        Assert.True(pages >= 4);

        var from = await storage.Tables.QueryAsync(table, "p", "095", 100, null, None);
        Assert.Equal(["095", "096", "097", "098", "099"], from.Rows.Select(r => r.RowKey));
        var even = await storage.Tables.QueryAsync(table, "p", null, 1000, null, None, "Even", "yes");
        Assert.Equal(50, even.Rows.Count);
        var quoted = await storage.Tables.QueryAsync(table, "p", null, 1000, null, None, "Even", "it's");
        Assert.Empty(quoted.Rows);
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            storage.Tables.UpsertBatchAsync(table, Enumerable.Range(0, 101).Select(i => new TableRow("p", $"x{i}")).ToList(), None));
    }

    [Fact]
    public async Task A_merge_adds_and_overwrites_only_the_properties_it_carries()
    {
        var (storage, names) = await FreshAsync();
        var table = names.BroadcastsTable;
        await storage.Tables.MergeAsync(table, new TableRow("p", "r") { ["A"] = "1", ["B"] = "1" }, None);
        await storage.Tables.MergeAsync(table, new TableRow("p", "r") { ["B"] = "2", ["C"] = "2" }, None);
        var read = await storage.Tables.GetAsync(table, "p", "r", None);
        Assert.Equal(("1", "2", "2"), (read!.GetString("A"), read.GetString("B"), read.GetString("C")));
    }

    [Fact]
    public async Task Rows_of_one_row_key_are_listed_across_partitions_in_partition_order()
    {
        var (storage, names) = await FreshAsync();
        var table = names.BroadcastsTable;
        foreach (var p in new[] { "c", "a", "e", "b", "d" })
        {
            await storage.Tables.InsertAsync(table, new TableRow(p, "main") { ["P"] = p }, None);
            await storage.Tables.InsertAsync(table, new TableRow(p, "other"), None);
        }
        var keys = new List<string>();
        string? continuation = null;
        do
        {
            var page = await storage.Tables.QueryByRowKeyAsync(table, "main", 2, continuation, None);
            Assert.True(page.Rows.Count <= 2);
            Assert.All(page.Rows, r => Assert.Equal("main", r.RowKey));
            keys.AddRange(page.Rows.Select(r => r.GetString("P")!));
            continuation = page.Continuation;
        } while (continuation is not null);
        Assert.Equal(["a", "b", "c", "d", "e"], keys);
    }

    [Fact]
    public async Task A_streamed_blob_appears_whole_only_when_its_writer_is_disposed()
    {
        var (storage, names) = await FreshAsync();
        var container = names.UploadsContainer;
        // 9 MiB and a bit: more than two blocks, the last one partial.
        var content = Enumerable.Range(0, 9 * 1024 * 1024 + 123).Select(i => (byte)(i * 31)).ToArray();
        var stream = await storage.Blobs.OpenWriteAsync(container, "sets/a.ndjson", "application/x-ndjson", None);
        for (var offset = 0; offset < content.Length; offset += 1_000_000)
            await stream.WriteAsync(content.AsMemory(offset, Math.Min(1_000_000, content.Length - offset)), None);
        Assert.Null(await storage.Blobs.GetInfoAsync(container, "sets/a.ndjson", None));
        await stream.DisposeAsync();

        Assert.Equal(content, await storage.Blobs.ReadAllAsync(container, "sets/a.ndjson", None));
        Assert.Equal(content.AsSpan(5_000_000, 100).ToArray(), await storage.Blobs.ReadRangeAsync(container, "sets/a.ndjson", 5_000_000, 100, None));
        await using var read = await storage.Blobs.OpenReadAsync(container, "sets/a.ndjson", None);
        using var copy = new MemoryStream();
        await read!.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
        var info = await storage.Blobs.GetInfoAsync(container, "sets/a.ndjson", None);
        Assert.Equal(content.Length, info!.Length);
    }

    [Fact]
    public async Task A_small_streamed_blob_written_synchronously_and_asynchronously_appears_whole_on_dispose()
    {
        var (storage, names) = await FreshAsync();
        var container = names.BroadcastsContainer;
        var stream = await storage.Blobs.OpenWriteAsync(container, "b1/recipients", "application/x-ndjson", None);
        stream.Write("{\"to\":\"6281\"}\n"u8);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"to\":\"6282\"}\n"), None);
        Assert.Null(await storage.Blobs.GetInfoAsync(container, "b1/recipients", None));
        await stream.DisposeAsync();

        Assert.Equal("{\"to\":\"6281\"}\n{\"to\":\"6282\"}\n", Encoding.UTF8.GetString((await storage.Blobs.ReadAllAsync(container, "b1/recipients", None))!));

        // An empty one is a blob too (an upload with no error rows still has its errors file).
        await (await storage.Blobs.OpenWriteAsync(container, "b1/empty", "application/x-ndjson", None)).DisposeAsync();
        Assert.Equal(0, (await storage.Blobs.GetInfoAsync(container, "b1/empty", None))!.Length);
    }

    [Fact]
    public async Task Blobs_carry_metadata_list_by_prefix_and_missing_ones_read_as_null()
    {
        var (storage, names) = await FreshAsync();
        var container = names.UploadsContainer;
        await storage.Blobs.UploadAsync(container, "drops/one.csv", Encoding.UTF8.GetBytes("phone\n+6281"), "text/csv", None,
            new Dictionary<string, string> { ["provider"] = "qiscus" });
        await storage.Blobs.UploadAsync(container, "drops/two.csv", Encoding.UTF8.GetBytes("phone"), "text/csv", None);
        await storage.Blobs.UploadAsync(container, "other/three.csv", Encoding.UTF8.GetBytes("phone"), "text/csv", None);
        await storage.Blobs.SetMetadataAsync(container, "drops/one.csv", new Dictionary<string, string> { ["state"] = "claimed" }, None);

        var listed = new List<BlobInfo>();
        await foreach (var blob in storage.Blobs.ListAsync(container, "drops/", None)) listed.Add(blob);
        Assert.Equal(["drops/one.csv", "drops/two.csv"], listed.Select(b => b.Name));
        var one = listed[0];
        Assert.Equal("qiscus", one.Metadata["provider"]);
        Assert.Equal("claimed", one.Metadata["state"]);
        Assert.Equal(11, one.Length);

        await storage.Blobs.DeleteAsync(container, "drops/two.csv", None);
        await storage.Blobs.DeleteAsync(container, "drops/two.csv", None);
        Assert.Null(await storage.Blobs.ReadAllAsync(container, "drops/two.csv", None));
        Assert.Null(await storage.Blobs.OpenReadAsync(container, "drops/two.csv", None));
        Assert.Null(await storage.Blobs.GetInfoAsync(container, "drops/two.csv", None));
    }
}
