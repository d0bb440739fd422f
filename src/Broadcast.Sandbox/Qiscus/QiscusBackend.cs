using System.Collections.Concurrent;

namespace Broadcast.Sandbox.Qiscus;

/// <summary>Qiscus-side state: uploaded files and id sequences (ids start near the documented samples).</summary>
internal sealed class QiscusBackend(bool keepSentFiles)
{
    private readonly ConcurrentDictionary<long, QiscusUpload> _uploads = new();
    private long _jobId = 14_528_000;
    private long _logId = 25_702_000;
    private long _fileId = 2_272_800;

    public long NextJobId() => Interlocked.Increment(ref _jobId);
    public long NextLogId() => Interlocked.Increment(ref _logId);

    public QiscusUpload AddUpload(long templateDetailId, char separator, CsvTable table)
    {
        var upload = new QiscusUpload(Interlocked.Increment(ref _fileId), templateDetailId, separator, table, keepSentFiles);
        _uploads[upload.Id] = upload;
        return upload;
    }

    public bool TryGetUpload(long id, out QiscusUpload upload) => _uploads.TryGetValue(id, out upload!);

    public void Clear() => _uploads.Clear();
}
