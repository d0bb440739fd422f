using System.Net.Http.Headers;
using System.Text;
using static Broadcast.Tests.Unit.Uploads.UploadHarness;

namespace Broadcast.Tests.Unit.Uploads;

/// <summary>Files refused outright: the answer a refusal gets (400, 413 or 415) naming what is wrong, and nothing
/// kept (no blob, no summary).</summary>
public sealed class RejectionTests : IAsyncDisposable
{
    private const int MaxBytes = 3_000_000;
    private const int MaxRows = 5;

    private readonly UploadHarness _uploads = new(MaxBytes, MaxRows);

    public ValueTask DisposeAsync() => _uploads.DisposeAsync();

    private Task Post(string csv) => _uploads.PostFormAsync(Utf8(csv));

    private Task Post(byte[] csv) => _uploads.PostFormAsync(csv);

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\n\r\n\n")]
    public async Task An_empty_file_is_refused(string content) =>
        await _uploads.RefusedAsync(() => Post(content), 400, "The file is empty");

    [Theory]
    [InlineData("phone,name\n")]
    [InlineData("phone,name")]
    [InlineData("phone,name\r\n\r\n,\r\n")]
    public async Task A_header_without_rows_is_refused(string content) =>
        await _uploads.RefusedAsync(() => Post(content), 400, "a header but no rows");

    [Fact]
    public async Task A_file_without_a_phone_column_is_refused()
    {
        var refused = await _uploads.RefusedAsync(() => Post("name,city\nBudi,Jakarta\n"), 400,
            "no phone column: name one phone, phone_number, phoneNumber, msisdn or to");
        Assert.Equal(1, refused.Row);
    }

    [Theory]
    [InlineData("phone_number,body_variable1,body_variable3\n6281200000001,a,b\n", "body_variable2", "has body_variable3 but no body_variable2")]
    [InlineData("phone_number,customer_name,body_variabel1\n6281200000001,a,b\n", "body_variabel1", "'body_variabel1' is not a column of the Qiscus template")]
    [InlineData("phone,name,Name\n6281200000001,a,b\n", "Name", "appears twice")]
    [InlineData("phone,msisdn\n6281200000001,6281200000002\n", "msisdn", "two phone columns")]
    [InlineData("phone,{name},city\n6281200000001,a,b\n", "city", "'city' is not a named variable")]
    public async Task A_header_no_layout_fits_is_refused_naming_the_column(string csv, string column, string detail)
    {
        var refused = await _uploads.RefusedAsync(() => Post(csv), 400, detail);
        Assert.Equal(column, refused.Column);
    }

    [Fact]
    public async Task More_than_15_qiscus_body_variables_are_refused()
    {
        var header = "phone_number," + string.Join(",", Enumerable.Range(1, 16).Select(i => $"body_variable{i}"));
        var row = "6281200000001," + string.Join(",", Enumerable.Range(1, 16));
        await _uploads.RefusedAsync(() => Post($"{header}\n{row}\n"), 400, "at most 15 body variables");
    }

    [Fact]
    public async Task A_binary_file_is_refused()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, .. new byte[500]];
        await _uploads.RefusedAsync(() => Post(png), 415, "binary data");
        byte[] noNul = [.. Utf8("phone,name\n"), 0x89, 0xFF, 0xFE, 0x80, 0x81];
        await _uploads.RefusedAsync(() => Post(noNul), 415, "not UTF-8 text");
        byte[] zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, .. Utf8("[Content_Types].xml")];
        await _uploads.RefusedAsync(() => Post(zip), 415, "binary data");
    }

    [Fact]
    public async Task A_latin1_file_without_a_bom_is_refused() =>
        await _uploads.RefusedAsync(() => Post(Encoding.Latin1.GetBytes("phone,name\n6281200000001,José\n")), 415, "save it as 'CSV UTF-8'");

    [Fact]
    public async Task A_bad_byte_far_into_the_file_is_refused_and_what_was_already_stored_is_deleted()
    {
        var start = Utf8($"phone,name\n6281200000001,\"{new string('x', 200_000)}\"\n");
        byte[] bytes = [.. start, .. Encoding.Latin1.GetBytes("6281200000002,José\n")];
        await _uploads.RefusedAsync(() => Post(bytes), 415, "not UTF-8 text");
    }

    [Fact]
    public async Task A_file_over_MaxBytes_is_refused_with_413_whether_its_length_is_known_or_not()
    {
        // Four rows of 900 KB: over the byte limit, under the row limit and the record size limit.
        var csv = new StringBuilder("phone,name\n");
        for (var i = 1; i <= 4; i++) csv.Append($"628120000000{i},").Append('x', 900_000).Append('\n');
        var bytes = Utf8(csv.ToString());

        // A text/csv body whose length is known is refused before it is read.
        await _uploads.RefusedAsync(() => _uploads.PostBodyAsync(bytes), 413, "larger than 3,000,000 bytes (setting Uploads__MaxBytes)");
        await _uploads.RefusedAsync(() => Post(bytes), 413, "Uploads__MaxBytes");
        // Sent chunked: counted while reading.
        await _uploads.RefusedAsync(() => _uploads.PostBodyAsync(bytes, lengthKnown: false), 413, "Uploads__MaxBytes");
    }

    [Fact]
    public async Task More_rows_than_MaxRows_are_refused_with_413()
    {
        var rows = Enumerable.Range(1, MaxRows).Select(i => $"62812000000{i:D2}").ToList();
        var atLimit = await _uploads.PostFormAsync(Utf8("phone\n" + string.Join("\n", rows)));
        Assert.Equal(MaxRows, atLimit.ValidRecipients);

        rows.Add("6281200000099");
        await _uploads.RefusedAsync(() => Post("phone\n" + string.Join("\n", rows)), 413, "more than 5 rows (setting Uploads__MaxRows)");
    }

    [Fact]
    public async Task A_quote_left_open_in_a_large_file_is_refused_rather_than_read_into_memory()
    {
        var csv = new StringBuilder("phone,name\n6281200000001,\"Budi\n");
        while (csv.Length < 1_500_000) csv.Append("6281200000002,Ani\n");
        var refused = await _uploads.RefusedAsync(() => Post(csv.ToString()), 400, "line 2 is longer than 1 MB");
        Assert.Equal(2, refused.Row);
    }

    [Fact]
    public async Task Requests_without_a_csv_are_refused()
    {
        await _uploads.RefusedAsync(() => _uploads.PostBodyAsync(Utf8("{\"phone\": \"6281200000001\"}"), "application/json"), 415,
            "multipart/form-data field 'file'");
        await _uploads.RefusedAsync(() => _uploads.PostAsync(new MultipartFormDataContent { { new StringContent(","), "separator" } }), 400,
            "no field 'file'");
    }

    [Fact]
    public async Task Two_files_in_one_upload_are_refused()
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Utf8("phone\n6281200000001\n")), "file", "a.csv" },
            { new ByteArrayContent(Utf8("phone\n6281200000002\n")), "file", "b.csv" },
        };
        await _uploads.RefusedAsync(() => _uploads.PostAsync(form), 400, "one file per upload");
    }

    [Theory]
    [InlineData("text/csv; charset=utf-8")]
    [InlineData("application/vnd.ms-excel")]
    [InlineData(null)]
    public async Task A_csv_body_is_read_whatever_csv_content_type_it_is_sent_with(string? contentType)
    {
        var summary = await _uploads.PostBodyAsync(Utf8("phone\n6281200000001\n"), contentType);
        Assert.Equal(1, summary.ValidRecipients);
    }

    [Fact]
    public async Task A_form_without_a_boundary_is_refused() =>
        await _uploads.RefusedAsync(() => _uploads.PostBodyAsync(Utf8("phone\n6281200000001\n"), new MediaTypeHeaderValue("multipart/form-data").ToString()), 400,
            "no boundary");
}
