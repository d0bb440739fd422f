namespace Broadcast.Core.Storage;

/// <summary>A table row: keys, ETag and typed properties (string, long, int, bool, double, DateTimeOffset, byte[]).</summary>
public sealed class TableRow
{
    public TableRow(string partitionKey, string rowKey, string? etag = null)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
        ETag = etag;
    }

    public string PartitionKey { get; }
    public string RowKey { get; }
    public string? ETag { get; set; }
    public Dictionary<string, object?> Properties { get; } = new(StringComparer.Ordinal);

    public object? this[string name]
    {
        get => Properties.TryGetValue(name, out var v) ? v : null;
        set => Properties[name] = value;
    }

    public string? GetString(string name) => this[name] as string;
    public long GetLong(string name) => this[name] switch { long l => l, int i => i, double d => (long)d, string s when long.TryParse(s, out var p) => p, _ => 0 };
    public int GetInt(string name) => (int)GetLong(name);
    public bool GetBool(string name) => this[name] is bool b && b;
    public byte[]? GetBytes(string name) => this[name] as byte[];
    public DateTimeOffset? GetDate(string name) => this[name] switch
    {
        DateTimeOffset d => d,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        _ => null,
    };
}
