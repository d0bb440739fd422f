using System.Text.Unicode;

namespace Broadcast.Core.Uploads;

/// <summary>Reads the uploaded bytes exactly once for the CSV reader: the <paramref name="start"/> already read (to
/// detect the encoding and separator), then the rest of <paramref name="source"/>. Every byte read is also written,
/// unchanged, to the original blob, counted against the size limit, and (for UTF-8 input) checked to be text: strict
/// UTF-8 and no NUL byte. A failed check throws <see cref="UploadRejectedException"/> from the read.</summary>
internal sealed class UploadInputStream(byte[] start, Stream source, Stream copy, long maxBytes, bool checkUtf8) : Stream
{
    private int _startRead;
    private readonly byte[] _pending = new byte[4]; // the start of a UTF-8 sequence that the last read cut in two
    private int _pendingLength;
    private bool _ended;

    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (buffer.IsEmpty) return 0;
        var n = _startRead < start.Length ? ReadStart(buffer.Span) : await source.ReadAsync(buffer, ct);
        Check(buffer.Span[..n]);
        if (n > 0) await copy.WriteAsync(buffer[..n], ct);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        var n = _startRead < start.Length ? ReadStart(buffer) : source.Read(buffer);
        Check(buffer[..n]);
        if (n > 0) copy.Write(buffer[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private int ReadStart(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, start.Length - _startRead);
        start.AsSpan(_startRead, n).CopyTo(buffer);
        _startRead += n;
        return n;
    }

    private void Check(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            if (!_ended && _pendingLength > 0) throw NotUtf8();
            _ended = true;
            return;
        }
        BytesRead += data.Length;
        if (BytesRead > maxBytes)
            throw UploadRejectedException.OverMaxBytes(maxBytes);
        if (!checkUtf8) return;
        if (data.Contains((byte)0))
            throw UploadRejectedException.NotText("The file holds binary data (NUL bytes), not text: export it as CSV.");
        CheckUtf8(data);
    }

    private void CheckUtf8(ReadOnlySpan<byte> data)
    {
        if (_pendingLength > 0)
        {
            var need = SequenceLength(_pending[0]);
            var take = Math.Min(need - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < need) return;
            if (!Utf8.IsValid(_pending.AsSpan(0, need))) throw NotUtf8();
            _pendingLength = 0;
        }
        var cut = IncompleteTail(data);
        if (!Utf8.IsValid(data[..^cut])) throw NotUtf8();
        data[^cut..].CopyTo(_pending);
        _pendingLength = cut;
    }

    /// <summary>How many bytes at the end of <paramref name="data"/> start a sequence that the next read completes.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> data)
    {
        for (var i = 1; i <= Math.Min(3, data.Length); i++)
        {
            var b = data[^i];
            if (b < 0x80) return 0;
            if (b >= 0xC0) return SequenceLength(b) > i ? i : 0;
        }
        return 0;
    }

    private static int SequenceLength(byte lead) => lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

    private static UploadRejectedException NotUtf8() => UploadRejectedException.NotText(
        "The file is not UTF-8 text: save it as 'CSV UTF-8', or start it with a byte order mark that names its encoding.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
