using Broadcast.Core.Messaging;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Recipients;

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
