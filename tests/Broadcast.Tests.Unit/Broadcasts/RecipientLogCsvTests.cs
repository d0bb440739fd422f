using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Workflow;
using CsvHelper;

namespace Broadcast.Tests.Unit.Broadcasts;

/// <summary>The recipient log download: any spreadsheet or CSV library reads back exactly what happened.</summary>
public sealed class RecipientLogCsvTests
{
    private static async IAsyncEnumerable<RecipientView> Log(params RecipientView[] rows)
    {
        foreach (var r in rows) yield return r;
        await Task.CompletedTask;
    }

    private static BroadcastDefinition Definition(string name, IReadOnlyList<string> variableNames) =>
        new("b1", name, Provider.Omnichat, new MessageContent("Hi {name}", null, null), new ChannelSpec(), false,
            DeliveryGuarantee.AtLeastOnce, false, null, new RecipientSetLocation("c", "p"), 2, 100, 5,
            variableNames, null, DateTimeOffset.UnixEpoch, false);

    [Theory]
    [InlineData(new[] { "Rp. 30.000", "10 Maret" }, new string[0], "[\"Rp. 30.000\",\"10 Maret\"]")]
    [InlineData(new[] { "Budi" }, new[] { "{name}" }, "{\"{name}\":\"Budi\"}")]
    public void Variables_are_json_named_when_the_broadcast_names_them(string[] values, string[] names, string expected) =>
        Assert.Equal(expected, RecipientLogCsv.Variables(values, names));

    [Fact]
    public async Task Names_and_errors_with_commas_quotes_and_line_breaks_read_back_unchanged_and_formulas_stay_text()
    {
        var sentAt = new DateTimeOffset(2026, 12, 4, 8, 30, 0, TimeSpan.Zero);
        var text = new StringWriter();
        await RecipientLogCsv.WriteAsync(text, Definition("March, \"invoices\"", ["{name}", "{amount}"]), Log(
            new RecipientView(1, "6281200000001", "Siti, \"Ibu\"\nJakarta", RecipientStatus.Read, 1, "wamid.1", null, sentAt,
                DeliveredAt: sentAt.AddMinutes(1), ReadAt: sentAt.AddMinutes(5), Variables: ["Siti", "Rp. 30.000"]),
            new RecipientView(2, "6281200000002", "=HYPERLINK(\"http://x\")", RecipientStatus.Failed, 3, null, "gave up after 3 attempts: 503", null)), default);

        Assert.StartsWith("row,phone_number,name,status,attempts,provider_message_id,error,sent_at,delivered_at,read_at,variables,broadcast_name\r\n", text.ToString());
        await using var csv = CsvReader.Create(new StringReader(text.ToString()), null, leaveOpen: false);
        await csv.ReadHeaderAsync(default);
        Assert.Equal(RecipientLogCsv.Columns, csv.Headers);
        Assert.True(await csv.ReadAsync(default));
        Assert.Equal(["1", "6281200000001", "Siti, \"Ibu\"\nJakarta", "read", "1", "wamid.1", "", "2026-12-04T08:30:00.0000000+00:00",
                "2026-12-04T08:31:00.0000000+00:00", "2026-12-04T08:35:00.0000000+00:00", "{\"{name}\":\"Siti\",\"{amount}\":\"Rp. 30.000\"}", "March, \"invoices\""],
            Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i)));
        Assert.True(await csv.ReadAsync(default));
        Assert.Equal("'=HYPERLINK(\"http://x\")", csv.GetString(2));
        Assert.Equal("gave up after 3 attempts: 503", csv.GetString(6));
        Assert.Equal(["", "", ""], Enumerable.Range(8, 3).Select(i => csv.GetString(i))); // never delivered, no variables
        Assert.False(await csv.ReadAsync(default));
    }
}
