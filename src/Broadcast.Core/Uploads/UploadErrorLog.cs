using System.Text.Json;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Uploads;

/// <summary>Every row error of an upload, one JSON object per line in a blob next to the original, written as they
/// are found (bounded memory); the first <see cref="SummaryLimit"/> are kept for the summary.</summary>
public sealed class UploadErrorLog : IAsyncDisposable
{
    public const int SummaryLimit = 100;
    private const int FlushBytes = 64 * 1024;

    private readonly Stream _blob;
    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _writer;
    private readonly List<UploadError> _first = [];
    private bool _completed;

    private UploadErrorLog(Stream blob)
    {
        _blob = blob;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = UploadJson.Options.Encoder });
    }

    public IReadOnlyList<UploadError> First => _first;

    public static async Task<UploadErrorLog> CreateAsync(IBlobStore blobs, string container, string blob, CancellationToken ct) =>
        new(await blobs.OpenWriteAsync(container, blob, "application/x-ndjson", ct));

    public async ValueTask AddAsync(UploadError error, CancellationToken ct)
    {
        if (_first.Count < SummaryLimit) _first.Add(error);
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, error, UploadJson.Options);
        _buffer.WriteByte((byte)'\n');
        if (_buffer.Length >= FlushBytes) await FlushAsync(ct);
    }

    private async ValueTask FlushAsync(CancellationToken ct)
    {
        await _blob.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
        _buffer.SetLength(0);
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        await _blob.DisposeAsync();
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed) _blob.Dispose(); // abandoned: dropped without a storage call (never committed)
        await _writer.DisposeAsync();
    }

    /// <summary>Up to <paramref name="limit"/> errors from byte <paramref name="offset"/> of the log; the continuation
    /// is the offset after them, null at the end.</summary>
    public static async Task<UploadErrorPage> ReadPageAsync(IBlobStore blobs, string container, string blob, long offset, int limit,
        CancellationToken ct)
    {
        var length = (await blobs.GetInfoAsync(container, blob, ct))?.Length ?? 0;
        if (offset > length) throw UploadRejectedException.BadField("continuation", "The continuation does not belong to this upload's errors.");
        var errors = new List<UploadError>();
        var pending = Array.Empty<byte>();
        while (errors.Count < limit && offset + pending.Length < length)
        {
            var read = await blobs.ReadRangeAsync(container, blob, offset + pending.Length,
                (int)Math.Min(FlushBytes, length - offset - pending.Length), ct);
            var chunk = pending.Length == 0 ? read : [.. pending, .. read];
            var consumed = 0;
            while (errors.Count < limit)
            {
                var end = chunk.AsSpan(consumed).IndexOf((byte)'\n');
                if (end < 0) break;
                errors.Add(ReadLine(chunk.AsSpan(consumed, end)));
                consumed += end + 1;
            }
            offset += consumed;
            pending = chunk[consumed..];
        }
        return new UploadErrorPage(errors, offset < length ? offset.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    private static UploadError ReadLine(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize<UploadError>(line, UploadJson.Options) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw UploadRejectedException.BadField("continuation", "The continuation does not belong to this upload's errors.");
        }
    }
}
