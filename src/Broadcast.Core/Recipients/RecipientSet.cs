using Broadcast.Core.Messaging;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Recipients;

/// <summary>Where a validated list of recipients lives: one NDJSON blob, written once, read a page at a time by
/// byte range through a small index blob, so a broadcast never parses the CSV again and never loads the list whole.
/// A list of at most one page that is small enough travels <see cref="Inline"/> instead, inside the broadcast's
/// row: a single message then costs no blob writes at all.</summary>
public sealed record RecipientSetLocation(string Container, string Prefix)
{
    /// <summary>Inline lists stay this small so that the broadcast row stays far below a table property's 32,768
    /// characters whatever the message content (itself limited to a few thousand).</summary>
    public const int MaxInlineLength = 4_000;

    public string DataBlob => $"{Prefix}/recipients.ndjson";
    public string IndexBlob => $"{Prefix}/recipients.index";

    /// <summary>The whole list as NDJSON (<see cref="RecipientCodec"/>), when it is not in blobs.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Inline { get; init; }

    /// <summary>The recipients as an inline list, or null when they need the blobs (more than a page, or too long).</summary>
    public static RecipientSetLocation? TryInline(string container, string prefix, IReadOnlyList<Recipient> recipients)
    {
        if (recipients.Count > RecipientSetIndex.DefaultPageSize) return null;
        using var buffer = new MemoryStream();
        foreach (var r in recipients) RecipientCodec.Write(buffer, r);
        if (buffer.Length > MaxInlineLength * 2) return null; // cheap bound before decoding
        var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return text.Length > MaxInlineLength ? null : new RecipientSetLocation(container, prefix) { Inline = text };
    }
}

/// <summary>The index: page <c>i</c> holds recipients <c>[i*PageSize, (i+1)*PageSize)</c> at bytes
/// <c>[Offsets[i], Offsets[i+1])</c> of the data blob.</summary>
public sealed record RecipientSetIndex(int PageSize, long Count, long[] Offsets)
{
    /// <summary>One page is one workflow batch: a queue work item, one group commit of outcomes.</summary>
    public const int DefaultPageSize = 100;

    public int PageCount => Offsets.Length - 1;

    public int CountOf(int page) => (int)Math.Min(PageSize, Count - (long)page * PageSize);

    public byte[] ToBytes()
    {
        var bytes = new byte[4 + 4 + 8 + 4 + Offsets.Length * 8];
        var span = bytes.AsSpan();
        BitConverter.TryWriteBytes(span[0..4], 1); // format version
        BitConverter.TryWriteBytes(span[4..8], PageSize);
        BitConverter.TryWriteBytes(span[8..16], Count);
        BitConverter.TryWriteBytes(span[16..20], Offsets.Length);
        for (var i = 0; i < Offsets.Length; i++) BitConverter.TryWriteBytes(span[(20 + i * 8)..], Offsets[i]);
        return bytes;
    }

    public static RecipientSetIndex FromBytes(ReadOnlySpan<byte> span)
    {
        var version = BitConverter.ToInt32(span[0..4]);
        if (version != 1) throw new InvalidDataException($"Unknown recipient index version {version}.");
        var pageSize = BitConverter.ToInt32(span[4..8]);
        var count = BitConverter.ToInt64(span[8..16]);
        var n = BitConverter.ToInt32(span[16..20]);
        var offsets = new long[n];
        for (var i = 0; i < n; i++) offsets[i] = BitConverter.ToInt64(span[(20 + i * 8)..]);
        return new RecipientSetIndex(pageSize, count, offsets);
    }
}

/// <summary>Streams recipients into a recipient set: bounded memory whatever the count.</summary>
public sealed class RecipientSetWriter : IAsyncDisposable
{
    private readonly IBlobStore _blobs;
    private readonly RecipientSetLocation _location;
    private readonly Stream _blob;
    private readonly int _pageSize;
    private readonly List<long> _offsets = [0];
    private readonly MemoryStream _buffer = new();
    private long _written;
    private long _count;
    private bool _completed;

    private RecipientSetWriter(IBlobStore blobs, RecipientSetLocation location, Stream blob, int pageSize)
    {
        _blobs = blobs;
        _location = location;
        _blob = blob;
        _pageSize = pageSize;
    }

    public long Count => _count;

    public static async Task<RecipientSetWriter> CreateAsync(IBlobStore blobs, RecipientSetLocation location, CancellationToken ct,
        int pageSize = RecipientSetIndex.DefaultPageSize)
    {
        var stream = await blobs.OpenWriteAsync(location.Container, location.DataBlob, "application/x-ndjson", ct);
        return new RecipientSetWriter(blobs, location, stream, pageSize);
    }

    public async ValueTask AddAsync(Recipient recipient, CancellationToken ct)
    {
        RecipientCodec.Write(_buffer, recipient);
        _count++;
        if (_count % _pageSize == 0) await FlushPageAsync(ct);
    }

    private async ValueTask FlushPageAsync(CancellationToken ct)
    {
        if (_buffer.Length == 0) return;
        _written += _buffer.Length;
        _offsets.Add(_written);
        await _blob.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
        _buffer.SetLength(0);
    }

    /// <summary>Finishes the data blob and writes the index; the set is readable from then on.</summary>
    public async Task<RecipientSetIndex> CompleteAsync(CancellationToken ct)
    {
        await FlushPageAsync(ct);
        _completed = true;
        var index = new RecipientSetIndex(_pageSize, _count, _offsets.ToArray());
        // Data and index at once: nothing refers to the set until this returns, so neither needs the other first.
        await Task.WhenAll(
            _blob.DisposeAsync().AsTask(),
            _blobs.UploadAsync(_location.Container, _location.IndexBlob, index.ToBytes(), "application/octet-stream", ct));
        return index;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed) _blob.Dispose(); // abandoned: dropped without a storage call (never committed)
        await _buffer.DisposeAsync();
    }
}

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
