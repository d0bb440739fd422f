using System.Globalization;
using System.Text.RegularExpressions;

namespace Broadcast.Sandbox.Qiscus;

internal static partial class QiscusCsvTemplate
{
    public const int MaxRecipients = 1000;
    public const int MaxBodyVariables = 15;

    /// <summary>Parses and checks the template layout; throws <see cref="CsvFormatException"/> with a readable reason.</summary>
    public static CsvTable Parse(string text, char separator)
    {
        var records = StrictCsv.Parse(text, separator);
        if (records.Count == 0)
            throw new CsvFormatException("the file is empty");

        var header = records[0].Select(h => h.Trim()).ToArray();
        CheckHeader(header, separator);
        var phoneColumn = Array.IndexOf(header, "phone_number");

        var rows = records.GetRange(1, records.Count - 1);
        if (rows.Count == 0)
            throw new CsvFormatException("the file has no recipient rows");
        if (rows.Count > MaxRecipients)
            throw new CsvFormatException($"the file has {rows.Count} recipient rows, at most {MaxRecipients} are allowed");

        var buttonType = Array.IndexOf(header, "button_type");
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var line = (r + 2).ToString(CultureInfo.InvariantCulture);
            if (row.Length != header.Length)
                throw new CsvFormatException($"row {line} has {row.Length} columns, the header has {header.Length}");
            if (!QiscusPhone.IsValid(row[phoneColumn]))
                throw new CsvFormatException($"row {line}: phone_number '{row[phoneColumn]}' is invalid (digits only with country code, no '+')");
            if (buttonType >= 0 && row[buttonType] is { Length: > 0 } type && type is not ("call_to_action" or "quick_reply"))
                throw new CsvFormatException($"row {line}: button_type '{type}' is invalid (call_to_action or quick_reply)");
        }

        return new CsvTable(header, rows, phoneColumn);
    }

    private static void CheckHeader(string[] header, char separator)
    {
        if (!header.Contains("phone_number"))
            throw new CsvFormatException($"the header has no phone_number column when split with separator '{separator}'");
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CsvFormatException($"column '{duplicate.Key}' appears more than once");
        foreach (var name in header)
        {
            var match = Column().Match(name);
            if (!match.Success)
                throw new CsvFormatException($"unknown column '{name}'");
            if (match.Groups["body"].Success && int.Parse(match.Groups["body"].Value, CultureInfo.InvariantCulture) > MaxBodyVariables)
                throw new CsvFormatException($"column '{name}': at most {MaxBodyVariables} body variables are allowed");
        }
    }

    [GeneratedRegex(@"^(phone_number|customer_name|header_variable|button_type|body_variable(?<body>[1-9][0-9]*)|button[1-9][0-9]*_variable[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Column();
}
