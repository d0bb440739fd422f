using System.Text;
using Broadcast.Core.Uploads;
using static Broadcast.Tests.Unit.Uploads.UploadHarness;

namespace Broadcast.Tests.Unit.Uploads;

/// <summary>How the importer reads a CSV: the separator, quotes, encodings, line numbers, blank lines, phone numbers
/// and the Qiscus columns, and that the original is kept byte for byte.</summary>
public sealed class CsvReadingTests : IAsyncDisposable
{
    private readonly UploadHarness _uploads = new();

    public ValueTask DisposeAsync() => _uploads.DisposeAsync();

    private const string Semicolons = "phone;name;amount\n6281200000001;Budi;Rp 1,5 juta\n6281200000002;Ani;Rp 2,0 juta\n";

    [Fact]
    public async Task A_semicolon_file_is_detected_from_its_header()
    {
        var summary = await _uploads.ImportAsync(Semicolons);

        Assert.Equal(";", summary.Separator);
        Assert.Equal(["phone", "name", "amount"], summary.Columns);
        Assert.Equal(["Rp 1,5 juta", "Rp 2,0 juta"], (await _uploads.RecipientsAsync(summary)).Select(r => r.Variables[0]));
    }

    [Fact]
    public async Task Detection_counts_only_separators_outside_quotes_on_the_header_line()
    {
        // Two commas inside quotes, one semicolon outside: the header is ';'-separated.
        var summary = await _uploads.ImportAsync("\"phone\";\"name, full, legal\"\n6281200000001;\"Budi, S.\"\n");

        Assert.Equal(";", summary.Separator);
        Assert.Equal(["phone", "name, full, legal"], summary.Columns);
    }

    [Theory]
    [InlineData(";", Semicolons, ";")]
    [InlineData("semicolon", Semicolons, ";")]
    [InlineData(",", "phone,name\n6281200000001,Budi\n", ",")]
    [InlineData("comma", "phone,name\n6281200000001,Budi\n", ",")]
    public async Task The_separator_named_by_the_user_is_obeyed(string separator, string csv, string expected)
    {
        var summary = await _uploads.ImportAsync(csv, UploadRequest.Parse(separator, null, null));
        Assert.Equal(expected, summary.Separator);
    }

    [Fact]
    public async Task The_separator_field_is_obeyed_as_form_field_and_as_query_parameter()
    {
        var asField = await _uploads.PostFormAsync(Utf8(Semicolons), [("separator", ";")]);
        var asQuery = await _uploads.PostBodyAsync(Utf8("phone,name\n6281200000001,Budi\n"), query: "?separator=%2C");
        var fieldOverQuery = await _uploads.PostFormAsync(Utf8(Semicolons), [("separator", ";")], query: "?separator=%2C");

        Assert.Equal(";", asField.Separator);
        Assert.Equal(",", asQuery.Separator);
        Assert.Equal(";", fieldOverQuery.Separator);
    }

    [Fact]
    public async Task A_wrong_separator_finds_no_phone_column() =>
        await _uploads.RefusedAsync(() => _uploads.PostFormAsync(Utf8(Semicolons), [("separator", ",")]), 400, "no phone column");

    [Fact]
    public async Task Quoted_fields_hold_separators_quotes_and_line_breaks_and_rows_are_numbered_by_their_first_line()
    {
        var csv =
            "phone_number,customer_name,body_variable1\n" +     // line 1
            "6281200000001,\"Budi, \"\"Boss\"\" Santoso\",a\n" + // line 2
            "\n" +                                              // line 3: blank
            "6281200000002,\"Ani\nof\r\nJakarta\",\"b;c\"\n" +  // lines 4-6
            "\n" +                                              // line 7: blank
            "08x,Citra,c\n" +                                   // line 8: bad phone
            "6281200000004,\"Dewi\nLestari\",\n";               // lines 9-10: empty variable
        var summary = await _uploads.ImportAsync(csv);

        Assert.Equal((4, 2, 2), (summary.TotalRows, summary.ValidRecipients, summary.InvalidRows));
        Assert.Equal([(8, "phone_number", "'08x' is not a phone number"), (9, "body_variable1", "is empty")], Errors(summary.Errors));
        var recipients = await _uploads.RecipientsAsync(summary);
        Assert.Equal([2, 4], recipients.Select(r => r.Row));
        Assert.Equal("Budi, \"Boss\" Santoso", recipients[0].Name);
        Assert.Equal("Ani\nof\r\nJakarta", recipients[1].Name);
        Assert.Equal("b;c", recipients[1].Variables[0]);
    }

    [Fact]
    public async Task A_utf8_bom_and_crlf_line_ends_are_read_and_kept_in_the_original()
    {
        var bytes = (byte[])[0xEF, 0xBB, 0xBF, .. Utf8("Phone_Number ,  Customer_Name,BODY_VARIABLE1\r\n081200000001,José,Rp 1\r\n\r\n+62 812-0000-0002,Çağrı 日本,Rp 2\r\n")];
        var summary = await _uploads.ImportAsync(bytes);

        Assert.Equal("qiscus_template", summary.Layout);
        Assert.Equal(["Phone_Number", "Customer_Name", "BODY_VARIABLE1"], summary.Columns);
        var recipients = await _uploads.RecipientsAsync(summary);
        Assert.Equal(["6281200000001", "6281200000002"], recipients.Select(r => r.Phone));
        Assert.Equal(["José", "Çağrı 日本"], recipients.Select(r => r.Name));
        Assert.Equal(["Rp 1", "Rp 2"], recipients.Select(r => r.Variables[0]));
        Assert.Equal([2, 4], recipients.Select(r => r.Row));
        Assert.Equal(bytes, await _uploads.OriginalAsync(summary.UploadId));
    }

    [Fact]
    public async Task A_utf16_file_with_its_bom_is_decoded()
    {
        var bytes = (byte[])[.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("phone;name\r\n081200000001;Gül\r\n")];
        var summary = await _uploads.ImportAsync(bytes);

        Assert.Equal(";", summary.Separator);
        Assert.Equal("Gül", Assert.Single(await _uploads.RecipientsAsync(summary)).Name);
        Assert.Equal(bytes, await _uploads.OriginalAsync(summary.UploadId));
    }

    [Fact]
    public async Task Local_numbers_get_the_default_country_code_and_international_ones_keep_theirs()
    {
        var summary = await _uploads.ImportAsync("msisdn\n0812-9064-1111\n+62 0812 9064 2222\n0062 812 9064 3333\n(0812) 9064.4444\n+44 7911 123456\n");

        Assert.Equal(["6281290641111", "6281290642222", "6281290643333", "6281290644444", "447911123456"],
            (await _uploads.RecipientsAsync(summary)).Select(r => r.Phone));
    }

    [Fact]
    public async Task Blank_lines_and_rows_of_empty_cells_are_skipped_and_not_counted()
    {
        var summary = await _uploads.ImportAsync("\n\nphone,name\n\n6281200000001,Budi\n,\n   \n\n6281200000002,Ani\n\n");

        Assert.Equal(2, summary.TotalRows);
        Assert.Equal([5, 9], (await _uploads.RecipientsAsync(summary)).Select(r => r.Row));
    }

    [Fact]
    public async Task A_quote_left_open_is_a_row_error_not_a_silent_loss_of_rows()
    {
        var summary = await _uploads.ImportAsync("phone,name\n6281200000001,Budi\n6281200000002,\"Ani\n6281200000003,Citra\n");

        Assert.Equal((2, 1, 1), (summary.TotalRows, summary.ValidRecipients, summary.InvalidRows));
        var error = Assert.Single(summary.Errors);
        Assert.Equal(3, error.Row);
        Assert.Contains("never closed", error.Error);
    }

    [Fact]
    public async Task A_large_upload_is_streamed_through_and_stored_byte_identical()
    {
        var csv = new StringBuilder("phone_number;customer_name;body_variable1\r\n");
        for (var i = 0; i < 20_000; i++) csv.Append($"0812{i:D8};\"Pelanggan {i}; Jakarta\";Rp. {i}.000\r\n");
        var bytes = Utf8(csv.ToString());

        var summary = await _uploads.ImportAsync(bytes);

        Assert.Equal((20_000, 20_000), (summary.TotalRows, summary.ValidRecipients));
        Assert.Equal(bytes, await _uploads.OriginalAsync(summary.UploadId));
        var last = (await _uploads.RecipientsAsync(summary))[^1];
        Assert.Equal(("6281200019999", "Pelanggan 19999; Jakarta", 20_001), (last.Phone, last.Name, last.Row));
    }

    [Fact]
    public async Task Qiscus_header_and_button_variables_are_kept_per_button_in_order()
    {
        var summary = await _uploads.ImportAsync(
            "button2_variable1,Header_Variable,phone_number,button1_variable2,body_variable1,button1_variable1,button_type\n" +
            "b2v1,INV-1,6281200000001,b1v2,x,b1v1,quick_reply\n");

        var recipient = Assert.Single(await _uploads.RecipientsAsync(summary));
        Assert.Equal("INV-1", recipient.HeaderVariable);
        Assert.Equal("quick_reply", recipient.ButtonType);
        Assert.Equal(2, recipient.ButtonVariables!.Count);
        Assert.Equal(["b1v1", "b1v2"], recipient.ButtonVariables[0]);
        Assert.Equal(["b2v1"], recipient.ButtonVariables[1]);
    }

    /// <summary>Past the first 64 KB (read ahead to detect the encoding and separator) the stream hands out one byte
    /// per read, splitting every multi-byte character, which strict UTF-8 checking must still accept.</summary>
    [Fact]
    public async Task The_importer_reads_a_stream_that_arrives_one_byte_at_a_time()
    {
        var csv = new StringBuilder("phone,name,{greeting}\n");
        for (var i = 0; i < 4000; i++) csv.Append($"62812{i:D8},José 😀 {i},Selamat pagi 日本\n");
        var bytes = Utf8(csv.ToString());
        Assert.True(bytes.Length > 2 * 64 * 1024);

        var summary = await _uploads.Importer.ImportAsync(new OneByteStream(bytes), UploadRequest.None, CancellationToken.None);

        Assert.Equal(4000, summary.ValidRecipients);
        Assert.Equal("named_variables", summary.Layout);
        var last = (await _uploads.RecipientsAsync(summary))[^1];
        Assert.Equal("José 😀 3999", last.Name);
        Assert.Equal(["Selamat pagi 日本"], last.Variables);
        Assert.Equal(bytes, await _uploads.OriginalAsync(summary.UploadId));
    }

    private sealed class OneByteStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 1), ct);
    }
}
