using Broadcast.Core.Messaging;
using Broadcast.Core.Phones;
using Broadcast.Core.Vendors;
using Broadcast.Core.Vendors.Qiscus;
using CsvHelper;

namespace Broadcast.Core.Uploads;

/// <summary>The layout a header line describes, checked against the user's hints, and how one row of it becomes a
/// recipient (or row errors).</summary>
public sealed partial class RecipientColumns
{
    public const int MaxColumns = 100;
    public const int MaxColumnNameLength = 100;

    public static readonly IReadOnlyList<string> PhoneColumnNames = ["phone", "phone_number", "phoneNumber", "msisdn", "to"];
    private static readonly string[] NameColumnNames = ["name", "customer_name"];
    private static readonly string[] ButtonTypes = ["call_to_action", "quick_reply"];

    private readonly int _phone;
    private readonly int _name;
    private readonly int[] _variables;
    private readonly int _header;
    private readonly int _buttonType;
    private readonly int[][]? _buttons;

    private RecipientColumns(string layout, List<string> columns, int phone, int name, int[] variables,
        int header = -1, int buttonType = -1, int[][]? buttons = null)
    {
        Layout = layout;
        Columns = columns;
        VariableNames = [.. variables.Select(i => columns[i])];
        _phone = phone;
        _name = name;
        _variables = variables;
        _header = header;
        _buttonType = buttonType;
        _buttons = buttons;
    }

    public string Layout { get; }

    /// <summary>The header names, trimmed; trailing empty names (a separator ending the line) are dropped.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The per-recipient variables, in the order <see cref="Recipient.Variables"/> holds their values.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    public string PhoneColumn => Columns[_phone];

    /// <summary>Works out the layout; a header no layout fits is rejected, naming the column.</summary>
    public static RecipientColumns FromHeader(IReadOnlyList<string> header, long row)
    {
        var columns = header.Select(h => h.Trim()).ToList();
        while (columns.Count > 0 && columns[^1].Length == 0) columns.RemoveAt(columns.Count - 1);
        if (columns.Count == 0)
            throw UploadRejectedException.BadFile("The file is empty: it has no header line naming its columns.");
        if (columns.Count > MaxColumns)
            throw UploadRejectedException.BadFile($"The header has {columns.Count} columns; at most {MaxColumns} are read.", row);

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Length == 0)
                throw UploadRejectedException.BadFile($"Column {i + 1} of the header has no name.", row);
            if (columns[i].Length > MaxColumnNameLength)
                throw UploadRejectedException.BadFile($"The name of column {i + 1} is longer than {MaxColumnNameLength} characters.", row);
            if (!seen.Add(columns[i]))
                throw UploadRejectedException.BadFile($"Column '{columns[i]}' appears twice in the header.", row, columns[i]);
        }

        var phone = SingleColumn(columns, PhoneColumnNames, "phone", row)
            ?? throw UploadRejectedException.BadFile(
                $"The header has no phone column: name one {string.Join(", ", PhoneColumnNames.SkipLast(1))} or {PhoneColumnNames[^1]}.", row);
        var name = SingleColumn(columns, NameColumnNames, "name", row) ?? -1;

        if (columns.Any(IsNamedVariable)) return NamedVariables(columns, phone, name, row);
        if (columns.Any(QiscusCsvLayout.IsTemplateColumn)) return QiscusTemplate(columns, phone, name, row);
        return new RecipientColumns(UploadLayouts.Simple, columns, phone, name,
            [.. Enumerable.Range(0, columns.Count).Where(i => i != phone && i != name)]);
    }

    private static int? SingleColumn(List<string> columns, IEnumerable<string> names, string what, long row)
    {
        var found = Enumerable.Range(0, columns.Count).Where(i => names.Contains(columns[i], StringComparer.OrdinalIgnoreCase)).ToList();
        if (found.Count > 1)
            throw UploadRejectedException.BadFile($"The header has two {what} columns, '{columns[found[0]]}' and '{columns[found[1]]}': keep one.", row, columns[found[1]]);
        return found.Count == 1 ? found[0] : null;
    }

    private static bool IsNamedVariable(string column) => column.Length > 2 && column[0] == '{' && column[^1] == '}';

    private static RecipientColumns NamedVariables(List<string> columns, int phone, int name, long row)
    {
        var variables = new List<int>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i == phone || i == name) continue;
            if (!IsNamedVariable(columns[i]))
                throw UploadRejectedException.BadFile(
                    $"'{columns[i]}' is not a named variable: in a file of named variables every column but the phone and the name is written like {{name}}.",
                    row, columns[i]);
            variables.Add(i);
        }
        return new RecipientColumns(UploadLayouts.NamedVariables, columns, phone, name, [.. variables]);
    }

    private static RecipientColumns QiscusTemplate(List<string> columns, int phone, int name, long row)
    {
        int header = -1, buttonType = -1;
        var body = new SortedDictionary<int, int>();
        var buttons = new SortedDictionary<int, SortedDictionary<int, int>>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i == phone || i == name) continue;
            switch (QiscusCsvLayout.Parse(columns[i]))
            {
                case null:
                    throw UploadRejectedException.BadFile(
                        $"'{columns[i]}' is not a column of the Qiscus template, which has {QiscusCsvLayout.Described}.", row, columns[i]);
                case { Kind: QiscusCsvLayout.ColumnKind.BodyVariable, Number: var n }:
                    body[n] = i;
                    break;
                case { Kind: QiscusCsvLayout.ColumnKind.ButtonVariable, Number: var n, Variable: var m }:
                    if (!buttons.TryGetValue(n, out var variables)) buttons[n] = variables = new SortedDictionary<int, int>();
                    variables[m] = i;
                    break;
                case { Kind: QiscusCsvLayout.ColumnKind.HeaderVariable }:
                    header = i;
                    break;
                case { Kind: QiscusCsvLayout.ColumnKind.ButtonType }:
                    buttonType = i;
                    break;
            }
        }

        if (body.Count > QiscusCsvLayout.MaxBodyVariables)
            throw UploadRejectedException.BadFile($"A Qiscus template takes at most {QiscusCsvLayout.MaxBodyVariables} body variables; the header has {body.Count}.", row);
        CheckNoGap(body.Keys, QiscusCsvLayout.BodyVariable, row);
        CheckNoGap(buttons.Keys, k => QiscusCsvLayout.ButtonVariable(k, 1), row);
        foreach (var (n, variables) in buttons) CheckNoGap(variables.Keys, m => QiscusCsvLayout.ButtonVariable(n, m), row);

        return new RecipientColumns(UploadLayouts.QiscusTemplate, columns, phone, name, [.. body.Values], header, buttonType,
            buttons.Count == 0 ? null : [.. buttons.Values.Select(v => v.Values.ToArray())]);
    }

    /// <summary>Numbered columns run 1, 2, 3… : a gap means a column was lost or misspelt.</summary>
    private static void CheckNoGap(IEnumerable<int> numbers, Func<int, string> nameOf, long row)
    {
        var expected = 1;
        foreach (var n in numbers)
        {
            if (n != expected)
                throw UploadRejectedException.BadFile(
                    $"The header has {nameOf(n)} but no {nameOf(expected)}: numbered columns run from 1 without a gap.", row, nameOf(expected));
            expected++;
        }
    }

    /// <summary>Rejects a file that cannot suit the provider or template the user named (a per-file 400).</summary>
    /// <param name="vendor">What the named provider's templates take; null when the upload names none.</param>
    public void CheckAgainst(UploadRequest request, VendorCapabilities? vendor)
    {
        var count = VariableNames.Count;
        var listed = count == 0 ? "none" : string.Join(", ", VariableNames);
        var name = request.Provider?.ToString();
        if (vendor?.TemplateVariables == VariableStyle.Positional && Layout == UploadLayouts.NamedVariables)
            throw UploadRejectedException.BadField("provider",
                $"{name} templates take positional variables (body_variable1..N), but this file names its variables: {listed}.");
        if (vendor?.MaxTemplateVariables is { } max && count > max)
            throw UploadRejectedException.BadField("provider", $"{name} templates take at most {max} variables; this file has {count}.");
        if (vendor?.TemplateVariables == VariableStyle.Named && Layout == UploadLayouts.QiscusTemplate && count > 0)
            throw UploadRejectedException.BadField("provider",
                $"{name} templates take named variables, but this file has positional ones ({listed}): name the variable columns like {{name}}.");

        var template = request.Template;
        if (template?.VariableCount is { } expected && expected != count)
            throw UploadRejectedException.BadField("template",
                $"The template takes {expected} variable{(expected == 1 ? "" : "s")} but the file has {count} ({listed}).");
        if (template?.VariableNames is { } names)
        {
            var inFile = VariableNames.Select(TemplateHint.BareName).ToList();
            var missing = names.Where(n => !inFile.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
                throw UploadRejectedException.BadField("template",
                    $"The template's variable{(missing.Count == 1 ? "" : "s")} {Braced(missing)} {(missing.Count == 1 ? "has" : "have")} no column in the file (its variables: {listed}).");
            var extra = VariableNames.Where(v => !names.Contains(TemplateHint.BareName(v), StringComparer.OrdinalIgnoreCase)).ToList();
            if (extra.Count > 0)
                throw UploadRejectedException.BadField("template",
                    $"The file's column{(extra.Count == 1 ? "" : "s")} {string.Join(", ", extra)} {(extra.Count == 1 ? "is not a variable" : "are not variables")} of the template, which takes {Braced(names)}.");
        }
    }

    private static string Braced(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"{{{n}}}"));

    /// <summary>The row as a recipient, or null with its errors added to <paramref name="errors"/>: a phone number
    /// that does not normalise, an empty or missing required cell, a bad button type, text beyond the header's columns.
    /// <paramref name="landline"/> says the number is a landline (kept, and marked in the upload's report).</summary>
    public Recipient? Read(CsvReader csv, int row, string defaultCountryCode, List<UploadError> errors, out bool landline)
    {
        var before = errors.Count;
        var fields = csv.FieldCount;
        string phone = "";
        landline = false;
        if (_phone >= fields) errors.Add(new UploadError(row, PhoneColumn, "is missing"));
        else if (!PhoneNumbers.TryNormalize(csv.GetString(_phone), defaultCountryCode, out phone, out landline, out var error))
            errors.Add(new UploadError(row, PhoneColumn, error));

        var variables = new string[_variables.Length];
        for (var i = 0; i < variables.Length; i++) variables[i] = Required(csv, _variables[i], row, errors);

        var buttonType = Optional(csv, _buttonType);
        if (buttonType is not null && !ButtonTypes.Contains(buttonType, StringComparer.OrdinalIgnoreCase))
            errors.Add(new UploadError(row, Columns[_buttonType], $"'{UploadRequest.Shorten(buttonType)}' is not a button type: call_to_action or quick_reply"));

        IReadOnlyList<IReadOnlyList<string>>? buttons = null;
        if (_buttons is not null)
        {
            var values = new IReadOnlyList<string>[_buttons.Length];
            for (var b = 0; b < values.Length; b++)
                values[b] = Array.ConvertAll(_buttons[b], column => Required(csv, column, row, errors));
            buttons = values;
        }

        if (fields > Columns.Count && HasTextFrom(csv, Columns.Count))
            errors.Add(new UploadError(row, null,
                $"has {fields} fields but the header has {Columns.Count}: a value holding the separator must be in quotes"));

        return errors.Count > before ? null
            : new Recipient(row, phone, Optional(csv, _name), variables, Optional(csv, _header), buttonType, buttons);
    }

    private string Required(CsvReader csv, int column, int row, List<UploadError> errors)
    {
        if (column >= csv.FieldCount)
        {
            errors.Add(new UploadError(row, Columns[column], "is missing"));
            return "";
        }
        var value = csv.GetString(column).Trim();
        if (value.Length == 0) errors.Add(new UploadError(row, Columns[column], "is empty"));
        return value;
    }

    private static string? Optional(CsvReader csv, int column)
    {
        if (column < 0 || column >= csv.FieldCount) return null;
        var value = csv.GetString(column).Trim();
        return value.Length == 0 ? null : value;
    }

    private static bool HasTextFrom(CsvReader csv, int first)
    {
        for (var i = first; i < csv.FieldCount; i++)
            if (!IsBlank(csv.GetSpan(i))) return true;
        return false;
    }

    /// <summary>A record whose every field is blank (",,," or spaces) counts as a blank line.</summary>
    public static bool IsBlankRecord(CsvReader csv)
    {
        for (var i = 0; i < csv.FieldCount; i++)
            if (!IsBlank(csv.GetSpan(i))) return false;
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> value) => value.Trim(" \t"u8).IsEmpty;
}
