using System.Globalization;
using System.Text.RegularExpressions;

namespace Broadcast.Core.Vendors.Qiscus;

/// <summary>The columns of the CSV template the Qiscus dashboard hands out: phone_number, customer_name,
/// header_variable, body_variable1..15, button_type and button{n}_variable{m}. Uploads read it, bulk sends write it.</summary>
public static partial class QiscusCsvLayout
{
    /// <summary>The template's limit on body variables.</summary>
    public const int MaxBodyVariables = 15;

    public const string PhoneNumber = "phone_number";
    public const string CustomerName = "customer_name";
    public const string HeaderVariable = "header_variable";
    public const string ButtonType = "button_type";

    public static string BodyVariable(int n) => $"body_variable{n}";
    public static string ButtonVariable(int button, int variable) => $"button{button}_variable{variable}";

    /// <summary>Named for an error message: every column the template has.</summary>
    public static string Described => $"{PhoneNumber}, {CustomerName}, {HeaderVariable}, body_variable1..{MaxBodyVariables}, {ButtonType} and button{{n}}_variable{{m}}";

    public enum ColumnKind { CustomerName, HeaderVariable, ButtonType, BodyVariable, ButtonVariable }

    /// <param name="Number">body_variable{Number}, button{Number}_variable{Variable}.</param>
    public sealed record Column(ColumnKind Kind, int Number = 0, int Variable = 0);

    /// <summary>True when a header names a column only the Qiscus template has.</summary>
    public static bool IsTemplateColumn(string name) => ColumnPattern().IsMatch(name);

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

    private static int Number(Match match, string group) =>
        int.TryParse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    [GeneratedRegex(@"^(customer_name|header_variable|button_type|body_variable(?<body>[1-9][0-9]*)|button(?<button>[1-9][0-9]*)_variable(?<variable>[1-9][0-9]*))$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ColumnPattern();
}
