using System.Buffers;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Broadcast.Storage;

/// <summary>A write-only stream onto a block blob that never blocks a thread: full blocks are staged as they fill
/// (asynchronously), and <see cref="DisposeAsync"/> stages the rest and commits the block list, so the blob appears
/// whole or not at all; a blob that fits one block is written with a single Put Blob instead. Synchronous writes only
/// buffer; synchronous I/O is refused (it would starve the thread pool under concurrent uploads, which is what the
/// legacy client's write stream did).</summary>
internal sealed class BlockBlobWriteStream(BlockBlobClient blob, string contentType, string what, StorageCallGates gates) : Stream
{
    // 4 MiB blocks: a million-recipient set is a few dozen blocks, well under the 50,000-block limit of a blob.
    private const int BlockBytes = 4 * 1024 * 1024;

    // The buffer starts small and doubles up to a block: a single message's recipient set is a few hundred bytes,
    // and 200 of them accepted at once must not hold 200 blocks' worth of memory.
    private const int FirstBufferBytes = 64 * 1024;

    private readonly List<string> _blockIds = [];
    private byte[] _buffer = [];
    private int _filled;
    private long _length;
    private bool _committed;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_committed;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        while (!source.IsEmpty)
        {
            if (_filled >= BlockBytes)
            {
                await StageAsync(ct);
                continue;
            }
            var n = Math.Min(source.Length, BlockBytes - _filled);
            Reserve(_filled + n);
            source[..n].CopyTo(_buffer.AsMemory(_filled));
            _filled += n;
            _length += n;
            source = source[n..];
            if (_filled == BlockBytes) await StageAsync(ct);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Buffers without I/O; a caller that writes synchronously past a block grows the buffer until the next
    /// asynchronous write or the commit stages it.</summary>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        Reserve(_filled + count);
        buffer.AsSpan(offset, count).CopyTo(_buffer.AsSpan(_filled));
        _filled += count;
        _length += count;
    }

    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
    public override void Flush() { }

    public override async ValueTask DisposeAsync()
    {
        if (_committed) return;
        _committed = true;
        try
        {
            var headers = new BlobHttpHeaders { ContentType = contentType };
            if (_blockIds.Count == 0)
            {
                // Smaller than one block (a single message's recipient, most error logs): one Put Blob, not two calls.
                using var content = new MemoryStream(_buffer, 0, _filled, writable: false);
                await gates.Guard(() => blob.UploadAsync(content, new BlobUploadOptions { HttpHeaders = headers }), what);
                return;
            }
            if (_filled > 0) await StageAsync(CancellationToken.None);
            await gates.Guard(() => blob.CommitBlockListAsync(_blockIds, new CommitBlockListOptions { HttpHeaders = headers }), what);
        }
        finally
        {
            ReleaseBuffer();
        }
    }

    private void Reserve(int bytes)
    {
        if (bytes <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(bytes, Math.Clamp(_buffer.Length * 2, FirstBufferBytes, BlockBytes)));
        _buffer.AsSpan(0, _filled).CopyTo(bigger);
        ReleaseBuffer();
        _buffer = bigger;
    }

    private void ReleaseBuffer()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    protected override void Dispose(bool disposing)
    {
        // Synchronous disposal cannot commit without blocking: the blob is abandoned (never created), by design.
        if (disposing && !_committed)
        {
            _committed = true;
            ReleaseBuffer();
        }
        base.Dispose(disposing);
    }

    private async Task StageAsync(CancellationToken ct)
    {
        // Block ids must all have the same length within a blob; a random 16-byte id never collides with a block
        // staged by an abandoned earlier attempt at the same blob.
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var filled = _filled;
        using (var content = new MemoryStream(_buffer, 0, filled, writable: false))
            await gates.Guard(() => blob.StageBlockAsync(id, content, cancellationToken: ct), what);
        _blockIds.Add(id);
        _filled = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
