using Broadcast.Core.Uploads;

namespace Broadcast.Core.Vendors.Omnichat;

/// <summary>Named template variables the way Omnichat keys them (<c>"variables": {"{business_name}": ...}</c>): every
/// column but the phone and the name is a variable written <c>{name}</c>. Khoros texts read such a file too (their
/// variables go by name, braces or not).</summary>
public sealed class OmnichatCsvLayout : CsvLayout
{
    /// <summary>The upload summaries' <c>layout</c> for named variables: an API value, so it never changes.</summary>
    public const string LayoutName = "named_variables";

    public static readonly OmnichatCsvLayout Instance = new();

    private OmnichatCsvLayout()
    {
    }

    public override string Name => LayoutName;
    public override VariableStyle Variables => VariableStyle.Named;
    public override string VariableColumns => "{name}";

    /// <summary>A braced name (<c>{name}</c>) with something between the braces.</summary>
    public override bool Recognizes(string column) => column.Length > 2 && column[0] == '{' && column[^1] == '}';

    public override CsvLayoutColumns Map(IReadOnlyList<string> columns, int phone, int name, long row)
    {
        var variables = new List<int>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i == phone || i == name) continue;
            if (!Recognizes(columns[i]))
                throw UploadRejectedException.BadFile(
                    $"'{columns[i]}' is not a named variable: in a file of named variables every column but the phone and the name is written like {{name}}.",
                    row, columns[i]);
            variables.Add(i);
        }
        return new CsvLayoutColumns(variables);
    }
}
