using Broadcast.Core.Messaging;
using Broadcast.Core.Phones;
using Broadcast.Core.Vendors;
using CsvHelper;

namespace Broadcast.Core.Uploads;

/// <summary>The layout a header line describes (a vendor's <see cref="CsvLayout"/>, or <see cref="SimpleCsvLayout"/>),
/// checked against the user's hints, and how one row of it becomes a recipient (or row errors).</summary>
public sealed class RecipientColumns
{
    /// <summary>A recipient file holds a phone, a name and a template's variables, far fewer columns: a wider header
    /// is another kind of file (or a wrong separator), refused before any row is read.</summary>
    public const int MaxColumns = 100;

    /// <summary>Column names are words (body_variable12, {business_name}): a longer one is a line of data or text
    /// read as a header, and it would be repeated in every row error.</summary>
    public const int MaxColumnNameLength = 100;

    /// <summary>What phone columns are called in the sheets users bring, whatever the vendor.</summary>
    public static readonly IReadOnlyList<string> PhoneColumnNames = ["phone", "phone_number", "phoneNumber", "msisdn", "to"];
    private static readonly string[] CommonNameColumns = ["name"];

    private readonly int _phone;
    private readonly int _name;
    private readonly int[] _variables;
    private readonly int _header;
    private readonly int _buttonType;
    private readonly IReadOnlyList<string> _buttonTypes;
    private readonly int[][]? _buttons;

    private RecipientColumns(CsvLayout layout, List<string> columns, int phone, int name, CsvLayoutColumns found)
    {
        CsvLayout = layout;
        Columns = columns;
        _variables = [.. found.Variables];
        VariableNames = [.. _variables.Select(i => columns[i])];
        _phone = phone;
        _name = name;
        _header = found.HeaderVariable;
        _buttonType = found.ButtonType;
        _buttonTypes = found.ButtonTypes ?? [];
        _buttons = found.ButtonVariables is null ? null : [.. found.ButtonVariables.Select(b => b.ToArray())];
    }

    /// <summary>The layout the header is in.</summary>
    public CsvLayout CsvLayout { get; }

    /// <summary>The layout's name, as upload summaries report it.</summary>
    public string Layout => CsvLayout.Name;

    /// <summary>The header names, trimmed; trailing empty names (a separator ending the line) are dropped.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The per-recipient variables, in the order <see cref="Recipient.Variables"/> holds their values.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    public string PhoneColumn => Columns[_phone];

    /// <summary>Works out the layout among <paramref name="layouts"/> (the registered vendors'); a header no layout
    /// fits is rejected, naming the column. A header with columns only one vendor layout has is in that layout; one with
    /// such columns of two layouts is refused; one whose only sign of a layout is its name column (Qiscus's
    /// customer_name) is in that layout; any other is simple.</summary>
    public static RecipientColumns FromHeader(IReadOnlyList<string> header, long row, IReadOnlyList<CsvLayout> layouts)
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
        var name = SingleColumn(columns, CommonNameColumns.Concat(layouts.SelectMany(l => l.NameColumns)), "name", row) ?? -1;

        var layout = LayoutOf(columns, phone, name, layouts, row);
        return new RecipientColumns(layout, columns, phone, name, layout.Map(columns, phone, name, row));
    }

    private static CsvLayout LayoutOf(List<string> columns, int phone, int name, IReadOnlyList<CsvLayout> layouts, long row)
    {
        var claims = layouts
            .Select(l => (Layout: l, Column: columns.Where((c, i) => i != phone && i != name && l.Recognizes(c)).FirstOrDefault()))
            .Where(c => c.Column is not null)
            .ToList();
        if (claims.Count > 1)
            throw UploadRejectedException.BadFile(
                $"The header mixes two layouts: '{claims[0].Column}' is a column of {claims[0].Layout.Name}, '{claims[1].Column}' of {claims[1].Layout.Name}: keep one.",
                row, claims[1].Column);
        if (claims.Count == 1) return claims[0].Layout;
        if (name >= 0 && layouts.FirstOrDefault(l => l.Recognizes(columns[name])) is { } byName) return byName;
        return SimpleCsvLayout.Instance;
    }

    private static int? SingleColumn(List<string> columns, IEnumerable<string> names, string what, long row)
    {
        var known = names.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var found = Enumerable.Range(0, columns.Count).Where(i => known.Contains(columns[i])).ToList();
        if (found.Count > 1)
            throw UploadRejectedException.BadFile($"The header has two {what} columns, '{columns[found[0]]}' and '{columns[found[1]]}': keep one.", row, columns[found[1]]);
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>Rejects a file that cannot suit the provider or template the user named (a per-file 400).</summary>
    /// <param name="vendor">What the named provider's templates take; null when the upload names none.</param>
    public void CheckAgainst(UploadRequest request, VendorCapabilities? vendor)
    {
        var count = VariableNames.Count;
        var listed = count == 0 ? "none" : string.Join(", ", VariableNames);
        var name = request.Provider?.ToString();
        // The vendor's own layout says how its variable columns are written.
        var own = vendor?.CsvLayout?.VariableColumns;
        if (vendor?.TemplateVariables == VariableStyle.Positional && CsvLayout.Variables == VariableStyle.Named)
            throw UploadRejectedException.BadField("provider",
                $"{name} templates take positional variables{(own is null ? "" : $" ({own})")}, but this file names its variables: {listed}.");
        if (vendor?.MaxTemplateVariables is { } max && count > max)
            throw UploadRejectedException.BadField("provider", $"{name} templates take at most {max} variables; this file has {count}.");
        if (vendor?.TemplateVariables == VariableStyle.Named && CsvLayout.Variables == VariableStyle.Positional && count > 0)
            throw UploadRejectedException.BadField("provider",
                $"{name} templates take named variables, but this file has positional ones ({listed}): {(own is null ? "give the variable columns names" : $"name the variable columns like {own}")}.");

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
        if (buttonType is not null && !_buttonTypes.Contains(buttonType, StringComparer.OrdinalIgnoreCase))
            errors.Add(new UploadError(row, Columns[_buttonType],
                $"'{UploadRequest.Shorten(buttonType)}' is not a button type: {string.Join(" or ", _buttonTypes)}"));

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
