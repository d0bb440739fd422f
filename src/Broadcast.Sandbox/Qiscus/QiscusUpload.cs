namespace Broadcast.Sandbox.Qiscus;

internal sealed class QiscusUpload(long id, long templateDetailId, char separator, CsvTable table, bool keepAfterSend)
{
    private CsvTable? _table = table;
    private int _sent;

    public long Id { get; } = id;
    public long TemplateDetailId { get; } = templateDetailId;
    public char Separator { get; } = separator;
    public bool IsSent => Volatile.Read(ref _sent) == 1;
    public CsvTable? Table => Volatile.Read(ref _table);

    /// <summary>Only the first caller wins: a file is sent once.</summary>
    public bool TryMarkSent() => Interlocked.Exchange(ref _sent, 1) == 0;

    /// <summary>Without recording, rows of sent files are dropped so million-message runs stay small.</summary>
    public void AfterSend()
    {
        if (!keepAfterSend)
            Volatile.Write(ref _table, null);
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>>? Rows() => Table?.ToDictionaries();
}
