namespace Broadcast.Sandbox.Qiscus;

/// <summary>A parsed CSV in the Qiscus broadcast template layout. Rows are kept as arrays to stay small.</summary>
internal sealed class CsvTable(string[] header, List<string[]> rows, int phoneColumn)
{
    public string[] Header { get; } = header;
    public int Count => rows.Count;

    public string Phone(int row) => rows[row][phoneColumn];

    public IReadOnlyList<IReadOnlyDictionary<string, string>> ToDictionaries() =>
        [.. rows.Select(row => (IReadOnlyDictionary<string, string>)Header
            .Select((name, column) => (name, value: row[column]))
            .ToDictionary(p => p.name, p => p.value, StringComparer.Ordinal))];
}
