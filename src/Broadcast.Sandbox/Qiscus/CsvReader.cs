using System.Text;

namespace Broadcast.Sandbox.Qiscus;

internal sealed class CsvFormatException(string message) : FormatException(message);

/// <summary>
/// RFC 4180 reader: quoted fields, doubled quotes, separators and line breaks inside quotes.
/// Strict like the vendor's own parser: a quote inside an unquoted field or text after a closing quote is an error.
/// Empty lines are skipped.
/// </summary>
internal static class CsvReader
{
    public static List<string[]> Parse(string text, char separator)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var rowQuoted = false;
        var i = 0;
        var n = text.Length;

        void EndRow()
        {
            var blank = fields.Count == 1 && fields[0].Length == 0 && !rowQuoted;
            if (!blank)
                rows.Add([.. fields]);
            fields.Clear();
            rowQuoted = false;
        }

        if (n > 0 && text[0] == '\uFEFF')
            i = 1;
        if (i >= n)
            return rows;

        while (true)
        {
            if (i < n && text[i] == '"')
            {
                rowQuoted = true;
                i++;
                while (true)
                {
                    if (i >= n)
                        throw new CsvFormatException($"unclosed quoted field in row {rows.Count + 1}");
                    var c = text[i];
                    if (c == '"')
                    {
                        if (i + 1 < n && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(c);
                    i++;
                }
                if (i < n && text[i] != separator && text[i] != '\r' && text[i] != '\n')
                    throw new CsvFormatException($"unexpected text after a closing quote in row {rows.Count + 1}");
            }
            else
            {
                while (i < n && text[i] != separator && text[i] != '\r' && text[i] != '\n')
                {
                    if (text[i] == '"')
                        throw new CsvFormatException($"quote inside an unquoted field in row {rows.Count + 1}");
                    field.Append(text[i]);
                    i++;
                }
            }

            fields.Add(field.ToString());
            field.Clear();

            if (i >= n)
            {
                EndRow();
                return rows;
            }
            if (text[i] == separator)
            {
                i++;
                continue;
            }
            if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
                i++;
            i++;
            EndRow();
            if (i >= n)
                return rows;
        }
    }
}
