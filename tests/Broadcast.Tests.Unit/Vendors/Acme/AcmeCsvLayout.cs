using System.Text.RegularExpressions;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;

namespace Broadcast.Tests.Unit.Vendors.Acme;

/// <summary>The sheet Acme's dashboard hands out: <c>msisdn</c>, <c>full_name</c>, <c>var_1..var_N</c>
/// (docs/adding-a-vendor.md, step 4).</summary>
public sealed partial class AcmeCsvLayout : CsvLayout
{
    /// <summary>The upload summaries' <c>layout</c> for Acme's sheet.</summary>
    public const string LayoutName = "acme_sheet";
    /// <summary>The sheet's name column (its phone column, msisdn, is one of the common names).</summary>
    public const string FullName = "full_name";

    public static readonly AcmeCsvLayout Instance = new();

    private AcmeCsvLayout()
    {
    }

    public override string Name => LayoutName;
    public override VariableStyle Variables => VariableStyle.Positional;
    public override string VariableColumns => "var_1..N";
    public override IReadOnlyList<string> NameColumns { get; } = [FullName];

    public override bool Recognizes(string column) => VariableColumn().IsMatch(column);

    public override CsvLayoutColumns Map(IReadOnlyList<string> columns, int phone, int name, long row)
    {
        var variables = new SortedDictionary<int, int>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i == phone || i == name) continue;
            var match = VariableColumn().Match(columns[i]);
            if (!match.Success)
                throw UploadRejectedException.BadFile($"'{columns[i]}' is not a column of the Acme sheet, which has msisdn, {FullName} and var_1..N.", row, columns[i]);
            variables[int.Parse(match.Groups["n"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)] = i;
        }
        CheckNoGap(variables.Keys, n => $"var_{n}", row);
        return new CsvLayoutColumns([.. variables.Values]);
    }

    [GeneratedRegex(@"^var_(?<n>[1-9][0-9]{0,2})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex VariableColumn();
}
