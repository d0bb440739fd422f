using Broadcast.Core.Vendors;

namespace Broadcast.Core.Uploads;

/// <summary>A file in no vendor's layout: the phone, the name, and every other column a variable under its own name.</summary>
public sealed class SimpleCsvLayout : CsvLayout
{
    /// <summary>The upload summaries' <c>layout</c> for a file in no vendor's layout: an API value, so it never changes.</summary>
    public const string LayoutName = "simple";

    public static readonly SimpleCsvLayout Instance = new();

    private SimpleCsvLayout()
    {
    }

    public override string Name => LayoutName;
    public override VariableStyle Variables => VariableStyle.Any;
    public override string VariableColumns => "any column name";

    /// <summary>Never by a column of its own: it is what a header no vendor layout claims is read as.</summary>
    public override bool Recognizes(string column) => false;

    public override CsvLayoutColumns Map(IReadOnlyList<string> columns, int phone, int name, long row) =>
        new([.. Enumerable.Range(0, columns.Count).Where(i => i != phone && i != name)]);
}
