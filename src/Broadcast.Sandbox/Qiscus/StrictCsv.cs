using CsvHelper;

namespace Broadcast.Sandbox.Qiscus;

/// <summary>RFC 4180 as strictly as the vendor's own parser reads it: quoted fields, doubled quotes, separators and
/// line breaks inside quotes; a stray quote, text after a closing quote or a quote never closed is an error. Empty
/// lines are skipped.</summary>
internal static class StrictCsv
{
    public static List<string[]> Parse(string text, char separator)
    {
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            DetectSeparatorHint = false,
            HasHeader = false,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = m => throw new CsvFormatException($"{Reason(m.Reason)} in row {m.RecordNumber}"),
        };
        var rows = new List<string[]>();
        using var csv = CsvReader.Create(new StringReader(text), options, leaveOpen: false);
        while (csv.Read()) rows.Add([.. Enumerable.Range(0, csv.FieldCount).Select(csv.GetString)]);
        return rows;
    }

    private static string Reason(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "unclosed quoted field",
        CsvMalformedReason.TextAfterClosingQuote => "unexpected text after a closing quote",
        CsvMalformedReason.StrayQuote => "quote inside an unquoted field",
        _ => reason.ToString(),
    };
}
