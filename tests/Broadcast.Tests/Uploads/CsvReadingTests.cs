using System.Net;
using System.Text;
using Broadcast.Core.Uploads;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Uploads.UploadTestApi;

namespace Broadcast.Tests.Uploads;

public sealed class CsvReadingTests(UploadAppFixture fixture) : IClassFixture<UploadAppFixture>
{
    private readonly TestApp _app = fixture.App;

    private const string Semicolons = "phone;name;amount\n6281200000001;Budi;Rp 1,5 juta\n6281200000002;Ani;Rp 2,0 juta\n";

    [Fact]
    public async Task A_semicolon_file_is_detected_from_its_header()
    {
        var result = await _app.PostRawAsync(Utf8(Semicolons));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(";", result.Text("separator"));
        Assert.Equal(["phone", "name", "amount"], result.Strings("columns"));
        Assert.Equal(["Rp 1,5 juta", "Rp 2,0 juta"], (await _app.RecipientsAsync(result.Id)).Select(r => r.Variables[0]));
    }

    [Fact]
    public async Task Detection_counts_only_separators_outside_quotes_on_the_header_line()
    {
        // Two commas inside quotes, one semicolon outside: the header is ';'-separated.
        var csv = "\"phone\";\"name, full, legal\"\n6281200000001;\"Budi, S.\"\n";
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(";", result.Text("separator"));
        Assert.Equal(["phone", "name, full, legal"], result.Strings("columns"));
    }

    [Fact]
    public async Task The_separator_field_is_obeyed_as_form_field_and_as_query_parameter()
    {
        var asField = await _app.PostFileAsync(Utf8(Semicolons), [("separator", ";")]);
        var asQuery = await _app.PostRawAsync(Utf8("phone,name\n6281200000001,Budi\n"), query: "?separator=%2C");

        Assert.Equal(HttpStatusCode.Created, asField.Status);
        Assert.Equal(";", asField.Text("separator"));
        Assert.Equal(HttpStatusCode.Created, asQuery.Status);
        Assert.Equal(",", asQuery.Text("separator"));
    }

    [Fact]
    public async Task A_wrong_separator_finds_no_phone_column()
    {
        var result = await _app.PostFileAsync(Utf8(Semicolons), [("separator", ",")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("file", result.Text("field"));
        Assert.Contains("no phone column", result.Text("detail"));
    }

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
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal((4, 2, 2), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows")));
        Assert.Equal([(8, "phone_number", "'08x' is not a phone number"), (9, "body_variable1", "is empty")], result.Errors);
        var recipients = await _app.RecipientsAsync(result.Id);
        Assert.Equal([2, 4], recipients.Select(r => r.Row));
        Assert.Equal("Budi, \"Boss\" Santoso", recipients[0].Name);
        Assert.Equal("Ani\nof\r\nJakarta", recipients[1].Name);
        Assert.Equal("b;c", recipients[1].Variables[0]);
    }

    [Fact]
    public async Task A_utf8_bom_and_crlf_line_ends_are_read_and_kept_in_the_original()
    {
        var bytes = (byte[])[0xEF, 0xBB, 0xBF, .. Utf8("Phone_Number ,  Customer_Name,BODY_VARIABLE1\r\n081200000001,José,Rp 1\r\n\r\n+62 812-0000-0002,Çağrı 日本,Rp 2\r\n")];
        var result = await _app.PostRawAsync(bytes, "text/csv; charset=utf-8");

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal("qiscus_template", result.Text("layout"));
        Assert.Equal(["Phone_Number", "Customer_Name", "BODY_VARIABLE1"], result.Strings("columns"));
        var recipients = await _app.RecipientsAsync(result.Id);
        Assert.Equal(["6281200000001", "6281200000002"], recipients.Select(r => r.Phone));
        Assert.Equal(["José", "Çağrı 日本"], recipients.Select(r => r.Name));
        Assert.Equal(["Rp 1", "Rp 2"], recipients.Select(r => r.Variables[0]));
        Assert.Equal([2, 4], recipients.Select(r => r.Row));
        Assert.Equal(bytes, await _app.OriginalAsync(result.Id));
    }

    [Fact]
    public async Task A_utf16_file_with_its_bom_is_decoded()
    {
        var bytes = (byte[])[.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("phone;name\r\n081200000001;Gül\r\n")];
        var result = await _app.PostFileAsync(bytes);

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(";", result.Text("separator"));
        Assert.Equal("Gül", Assert.Single(await _app.RecipientsAsync(result.Id)).Name);
        Assert.Equal(bytes, await _app.OriginalAsync(result.Id));
    }

    [Fact]
    public async Task Local_numbers_get_the_default_country_code_and_international_ones_keep_theirs()
    {
        var csv = "msisdn\n0812-9064-1111\n+62 0812 9064 2222\n0062 812 9064 3333\n(0812) 9064.4444\n+44 7911 123456\n";
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(["6281290641111", "6281290642222", "6281290643333", "6281290644444", "447911123456"],
            (await _app.RecipientsAsync(result.Id)).Select(r => r.Phone));
    }

    [Fact]
    public async Task Blank_lines_and_rows_of_empty_cells_are_skipped_and_not_counted()
    {
        var csv = "\n\nphone,name\n\n6281200000001,Budi\n,\n   \n\n6281200000002,Ani\n\n";
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(2, result.Count("total_rows"));
        Assert.Equal([5, 9], (await _app.RecipientsAsync(result.Id)).Select(r => r.Row));
    }

    [Fact]
    public async Task A_quote_left_open_is_a_row_error_not_a_silent_loss_of_rows()
    {
        var csv = "phone,name\n6281200000001,Budi\n6281200000002,\"Ani\n6281200000003,Citra\n";
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal((2, 1, 1), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows")));
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Row);
        Assert.Contains("never closed", error.Error);
    }

    [Fact]
    public async Task A_large_upload_is_streamed_through_and_stored_byte_identical()
    {
        var csv = new StringBuilder("phone_number;customer_name;body_variable1\r\n");
        for (var i = 0; i < 20_000; i++) csv.Append($"0812{i:D8};\"Pelanggan {i}; Jakarta\";Rp. {i}.000\r\n");
        var bytes = Utf8(csv.ToString());

        var result = await _app.PostFileAsync(bytes);

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal((20_000, 20_000), (result.Count("total_rows"), result.Count("valid_recipients")));
        Assert.Equal(bytes, await _app.OriginalAsync(result.Id));
        var last = (await _app.RecipientsAsync(result.Id))[^1];
        Assert.Equal(("6281200019999", "Pelanggan 19999; Jakarta", 20_001), (last.Phone, last.Name, last.Row));
    }

    [Fact]
    public async Task Qiscus_header_and_button_variables_are_kept_per_button_in_order()
    {
        var csv = "button2_variable1,Header_Variable,phone_number,button1_variable2,body_variable1,button1_variable1,button_type\n" +
                  "b2v1,INV-1,6281200000001,b1v2,x,b1v1,quick_reply\n";
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        var recipient = Assert.Single(await _app.RecipientsAsync(result.Id));
        Assert.Equal("INV-1", recipient.HeaderVariable);
        Assert.Equal("quick_reply", recipient.ButtonType);
        Assert.Equal(2, recipient.ButtonVariables!.Count);
        Assert.Equal(["b1v1", "b1v2"], recipient.ButtonVariables[0]);
        Assert.Equal(["b2v1"], recipient.ButtonVariables[1]);
    }

    /// <summary>The importer itself, as a blob drop calls it. Past the first 64 KB (read ahead to detect the encoding
    /// and separator) the stream hands out one byte per read, splitting every multi-byte character, which strict
    /// UTF-8 checking must still accept.</summary>
    [Fact]
    public async Task The_importer_reads_a_stream_that_arrives_one_byte_at_a_time()
    {
        var csv = new StringBuilder("phone,name,{greeting}\n");
        for (var i = 0; i < 4000; i++) csv.Append($"62812{i:D8},José 😀 {i},Selamat pagi 日本\n");
        var bytes = Utf8(csv.ToString());
        Assert.True(bytes.Length > 2 * 64 * 1024);
        var importer = _app.Services.GetRequiredService<UploadImporter>();

        var summary = await importer.ImportAsync(new OneByteStream(bytes), UploadRequest.None, CancellationToken.None);

        Assert.Equal(4000, summary.ValidRecipients);
        Assert.Equal("named_variables", summary.Layout);
        var last = (await _app.RecipientsAsync(summary.UploadId))[^1];
        Assert.Equal("José 😀 3999", last.Name);
        Assert.Equal(["Selamat pagi 日本"], last.Variables);
        Assert.Equal(bytes, await _app.OriginalAsync(summary.UploadId));
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
