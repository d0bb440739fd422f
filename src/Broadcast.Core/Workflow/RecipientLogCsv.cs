using System.Globalization;
using CsvHelper;

namespace Broadcast.Core.Workflow;

/// <summary>A broadcast's recipient log as the CSV users download: RFC 4180, CRLF, a header row, and any cell a
/// spreadsheet would run as a formula (=, +, -, @ first) kept as text with a leading apostrophe.</summary>
public static class RecipientLogCsv
{
    public static readonly string[] Columns = ["row", "phone_number", "name", "status", "attempts", "provider_message_id", "error", "sent_at"];

    private static readonly CsvWriterOptions Format = CsvWriterOptions.Default with
    {
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        InjectionEscape = '\'',
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<RecipientView> recipients, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(writer, Format, leaveOpen: true);
        foreach (var column in Columns) csv.WriteField(column);
        await csv.EndRecordAsync(ct);
        await foreach (var r in recipients.WithCancellation(ct))
        {
            csv.WriteField<int>(r.Row, default);
            csv.WriteField(r.PhoneNumber);
            csv.WriteField(r.Name);
            csv.WriteField(r.Status);
            csv.WriteField<int>(r.Attempts, default);
            csv.WriteField(r.ProviderMessageId);
            csv.WriteField(r.Error);
            csv.WriteField(r.SentAt?.ToString("O", CultureInfo.InvariantCulture)); // as the JSON answers give it
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }
}
