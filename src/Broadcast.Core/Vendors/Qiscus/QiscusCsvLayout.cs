using System.Globalization;
using System.Text.RegularExpressions;
using Broadcast.Core.Uploads;

namespace Broadcast.Core.Vendors.Qiscus;

/// <summary>The columns of the CSV template the Qiscus dashboard hands out: phone_number, customer_name,
/// header_variable, body_variable1..15, button_type and button{n}_variable{m}. Uploads read it (the upload seam,
/// <see cref="CsvLayout"/>), bulk sends write it (<see cref="QiscusCsv"/>).</summary>
public sealed partial class QiscusCsvLayout : CsvLayout
{
    /// <summary>The upload summaries' <c>layout</c> for this template: an API value, so it never changes.</summary>
    public const string LayoutName = "qiscus_template";

    /// <summary>The template's limit on body variables (Qiscus help centre).</summary>
    public const int MaxBodyVariables = 15;

    public const string PhoneNumber = "phone_number";
    public const string CustomerName = "customer_name";
    public const string HeaderVariable = "header_variable";
    public const string ButtonType = "button_type";

    /// <summary>The values of button_type the template takes.</summary>
    public static readonly IReadOnlyList<string> ButtonTypes = ["call_to_action", "quick_reply"];

    public static readonly QiscusCsvLayout Instance = new();

    private QiscusCsvLayout()
    {
    }

    public static string BodyVariable(int n) => $"body_variable{n}";
    public static string ButtonVariable(int button, int variable) => $"button{button}_variable{variable}";

    /// <summary>Named for an error message: every column the template has.</summary>
    public static string Described => $"{PhoneNumber}, {CustomerName}, {HeaderVariable}, body_variable1..{MaxBodyVariables}, {ButtonType} and button{{n}}_variable{{m}}";

    public enum ColumnKind { CustomerName, HeaderVariable, ButtonType, BodyVariable, ButtonVariable }

    /// <param name="Number">body_variable{Number}, button{Number}_variable{Variable}.</param>
    public sealed record Column(ColumnKind Kind, int Number = 0, int Variable = 0);

    public override string Name => LayoutName;
    public override VariableStyle Variables => VariableStyle.Positional;
    public override string VariableColumns => "body_variable1..N";
    public override IReadOnlyList<string> NameColumns { get; } = [CustomerName];

    /// <summary>True when a header names a column only the Qiscus template has.</summary>
    public override bool Recognizes(string column) => ColumnPattern().IsMatch(column);

    /// <summary>What a column of the template is (any case), or null when the template has no such column (the phone
    /// column is found apart, under any of its names).</summary>
    public static Column? Parse(string name)
    {
        var match = ColumnPattern().Match(name);
        if (!match.Success) return null;
        if (match.Groups["body"].Success) return new Column(ColumnKind.BodyVariable, Number(match, "body"));
        if (match.Groups["button"].Success) return new Column(ColumnKind.ButtonVariable, Number(match, "button"), Number(match, "variable"));
        if (name.Equals(HeaderVariable, StringComparison.OrdinalIgnoreCase)) return new Column(ColumnKind.HeaderVariable);
        if (name.Equals(CustomerName, StringComparison.OrdinalIgnoreCase)) return new Column(ColumnKind.CustomerName);
        return new Column(ColumnKind.ButtonType);
    }

    /// <summary>Body variables in their number's order, the header variable, the button type and each button's
    /// variables; a column the template does not have, more body variables than it takes, or a gap in the numbers is
    /// a bad file.</summary>
    public override CsvLayoutColumns Map(IReadOnlyList<string> columns, int phone, int name, long row)
    {
        int header = -1, buttonType = -1;
        var body = new SortedDictionary<int, int>();
        var buttons = new SortedDictionary<int, SortedDictionary<int, int>>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i == phone || i == name) continue;
            switch (Parse(columns[i]))
            {
                case null:
                    throw UploadRejectedException.BadFile(
                        $"'{columns[i]}' is not a column of the Qiscus template, which has {Described}.", row, columns[i]);
                case { Kind: ColumnKind.BodyVariable, Number: var n }:
                    body[n] = i;
                    break;
                case { Kind: ColumnKind.ButtonVariable, Number: var n, Variable: var m }:
                    if (!buttons.TryGetValue(n, out var variables)) buttons[n] = variables = new SortedDictionary<int, int>();
                    variables[m] = i;
                    break;
                case { Kind: ColumnKind.HeaderVariable }:
                    header = i;
                    break;
                case { Kind: ColumnKind.ButtonType }:
                    buttonType = i;
                    break;
            }
        }

        if (body.Count > MaxBodyVariables)
            throw UploadRejectedException.BadFile($"A Qiscus template takes at most {MaxBodyVariables} body variables; the header has {body.Count}.", row);
        CheckNoGap(body.Keys, BodyVariable, row);
        CheckNoGap(buttons.Keys, k => ButtonVariable(k, 1), row);
        foreach (var (n, variables) in buttons) CheckNoGap(variables.Keys, m => ButtonVariable(n, m), row);

        return new CsvLayoutColumns([.. body.Values], header, buttonType,
            buttons.Count == 0 ? null : [.. buttons.Values.Select(v => (IReadOnlyList<int>)[.. v.Values])], ButtonTypes);
    }

    private static int Number(Match match, string group) =>
        int.TryParse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    [GeneratedRegex(@"^(customer_name|header_variable|button_type|body_variable(?<body>[1-9][0-9]*)|button(?<button>[1-9][0-9]*)_variable(?<variable>[1-9][0-9]*))$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ColumnPattern();
}
