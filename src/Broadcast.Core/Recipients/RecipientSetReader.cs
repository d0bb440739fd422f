using Broadcast.Core.Messaging;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Recipients;

/// <summary>Reads pages of a recipient set; indexes are small and cached.</summary>
public sealed class RecipientSetReader(IBlobStore blobs)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RecipientSetLocation, Lazy<Task<RecipientSetIndex>>> _indexes = new();

    public Task<RecipientSetIndex> GetIndexAsync(RecipientSetLocation location, CancellationToken ct)
    {
        if (location.Inline is { } inline)
        {
            var count = RecipientCodec.ReadAll(System.Text.Encoding.UTF8.GetBytes(inline)).Count;
            return Task.FromResult(new RecipientSetIndex(RecipientSetIndex.DefaultPageSize, count, [0, inline.Length]));
        }
        if (_indexes.Count > 1000) _indexes.Clear();
        var lazy = _indexes.GetOrAdd(location, l => new Lazy<Task<RecipientSetIndex>>(() => LoadIndexAsync(l, ct)));
        var task = lazy.Value;
        if (task.IsFaulted) _indexes.TryRemove(location, out _);
        return task;
    }

    private async Task<RecipientSetIndex> LoadIndexAsync(RecipientSetLocation location, CancellationToken ct)
    {
        var bytes = await blobs.ReadAllAsync(location.Container, location.IndexBlob, ct)
            ?? throw new FileNotFoundException($"The recipient list {location.Prefix} is missing.");
        return RecipientSetIndex.FromBytes(bytes);
    }

    /// <summary>Pages <c>[firstPage, firstPage + pageCount)</c> in one range read.</summary>
    public async Task<IReadOnlyList<Recipient>> ReadPagesAsync(RecipientSetLocation location, int firstPage, int pageCount, CancellationToken ct)
    {
        if (location.Inline is { } inline)
            return firstPage == 0 && pageCount > 0 ? RecipientCodec.ReadAll(System.Text.Encoding.UTF8.GetBytes(inline)) : [];
        var index = await GetIndexAsync(location, ct);
        var last = Math.Min(firstPage + pageCount, index.PageCount);
        if (firstPage >= last) return [];
        var start = index.Offsets[firstPage];
        var length = (int)(index.Offsets[last] - start);
        var bytes = await blobs.ReadRangeAsync(location.Container, location.DataBlob, start, length, ct);
        return RecipientCodec.ReadAll(bytes);
    }

    /// <summary>Every recipient in order, a page at a time.</summary>
    public async IAsyncEnumerable<Recipient> ReadAllAsync(RecipientSetLocation location, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var index = await GetIndexAsync(location, ct);
        for (var page = 0; page < index.PageCount; page += 10)
            foreach (var r in await ReadPagesAsync(location, page, 10, ct))
                yield return r;
    }
}
