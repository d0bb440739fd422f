using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace Broadcast.Core.Workflow;

/// <summary>A broadcast's recipient log as the CSV users download: RFC 4180, CRLF, a header row, and any cell a
/// spreadsheet would run as a formula (=, +, -, @ first) kept as text with a leading apostrophe. Each row carries the
/// broadcast's name (exports of several broadcasts can be joined) and the recipient's variables as JSON: an object of
/// the variables' names when the broadcast has them, else the positional list.</summary>
public static class RecipientLogCsv
{
    public static readonly string[] Columns =
        ["row", "phone_number", "name", "status", "attempts", "provider_message_id", "error", "sent_at", "delivered_at", "read_at", "variables", "broadcast_name"];

    private static readonly CsvWriterOptions Format = CsvWriterOptions.Default with
    {
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        InjectionEscape = '\'',
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>Variables as typed, not \u-escaped: the cell is read by people and CSV readers, never by a browser as HTML.</summary>
    private static readonly JsonSerializerOptions VariablesJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(TextWriter writer, BroadcastDefinition broadcast, IAsyncEnumerable<RecipientView> recipients, CancellationToken ct)
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
            csv.WriteField(Time(r.SentAt)); // as the JSON answers give it
            csv.WriteField(Time(r.DeliveredAt));
            csv.WriteField(Time(r.ReadAt));
            csv.WriteField(Variables(r.Variables, broadcast.VariableNames));
            csv.WriteField(broadcast.Name);
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    private static string? Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture);

    public static string? Variables(IReadOnlyList<string>? values, IReadOnlyList<string> names)
    {
        if (values is not { Count: > 0 }) return null;
        if (names.Count != values.Count || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            return JsonSerializer.Serialize(values, VariablesJson);
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++) named[names[i]] = values[i];
        return JsonSerializer.Serialize(named, VariablesJson);
    }
}
