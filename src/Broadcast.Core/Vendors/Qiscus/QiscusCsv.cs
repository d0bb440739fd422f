using Broadcast.Core.Messaging;
using CsvHelper;

namespace Broadcast.Core.Vendors.Qiscus;

/// <summary>Writes recipients in the CSV template layout the Qiscus dashboard hands out (<see cref="QiscusCsvLayout"/>).</summary>
public static class QiscusCsv
{
    /// <summary>RFC 4180 with CRLF, as the dashboard's own template; values go as they are (the vendor reads them,
    /// not a spreadsheet), so no formula escaping.</summary>
    private static readonly CsvWriterOptions Format = CsvWriterOptions.Default with { NewLine = "\r\n", Injection = CsvInjection.None };

    public static string Write(IReadOnlyList<Recipient> recipients)
    {
        var bodyCount = recipients.Count == 0 ? 0 : recipients.Max(r => r.Variables.Count);
        var hasHeader = recipients.Any(r => !string.IsNullOrEmpty(r.HeaderVariable));
        var buttonShape = new List<int>();
        foreach (var r in recipients)
            for (var b = 0; b < (r.ButtonVariables?.Count ?? 0); b++)
            {
                while (buttonShape.Count <= b) buttonShape.Add(0);
                buttonShape[b] = Math.Max(buttonShape[b], r.ButtonVariables![b].Count);
            }

        var header = new List<string> { QiscusCsvLayout.PhoneNumber, QiscusCsvLayout.CustomerName };
        if (hasHeader) header.Add(QiscusCsvLayout.HeaderVariable);
        for (var i = 1; i <= bodyCount; i++) header.Add(QiscusCsvLayout.BodyVariable(i));
        if (buttonShape.Count > 0)
        {
            header.Add(QiscusCsvLayout.ButtonType);
            for (var b = 0; b < buttonShape.Count; b++)
                for (var m = 0; m < buttonShape[b]; m++) header.Add(QiscusCsvLayout.ButtonVariable(b + 1, m + 1));
        }
        using var text = new StringWriter();
        using var csv = CsvWriter.Create(text, Format, leaveOpen: true);
        csv.WriteRecord([.. header]);
        foreach (var r in recipients)
        {
            var cells = new List<string> { r.Phone, r.Name ?? "" };
            if (hasHeader) cells.Add(r.HeaderVariable ?? "");
            for (var i = 0; i < bodyCount; i++) cells.Add(i < r.Variables.Count ? r.Variables[i] : "");
            if (buttonShape.Count > 0)
            {
                cells.Add(r.ButtonType ?? "");
                for (var b = 0; b < buttonShape.Count; b++)
                    for (var m = 0; m < buttonShape[b]; m++)
                        cells.Add(r.ButtonVariables is { } bv && b < bv.Count && m < bv[b].Count ? bv[b][m] : "");
            }
            csv.WriteRecord([.. cells]);
        }
        csv.Flush();
        return text.ToString();
    }
}
