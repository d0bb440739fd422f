using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Uploads.UploadTestApi;

namespace Broadcast.Tests.Uploads;

public sealed class SmallLimitsFixture : IAsyncLifetime
{
    public const int MaxBytes = 3_000_000;
    public const int MaxRows = 5;

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        ["Uploads:MaxBytes"] = MaxBytes.ToString(),
        ["Uploads:MaxRows"] = MaxRows.ToString(),
    });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Files refused outright: a clear 4xx problem naming what is wrong, and nothing kept (no blob, no summary).</summary>
public sealed class RejectionTests(SmallLimitsFixture fixture) : IClassFixture<SmallLimitsFixture>
{
    private readonly TestApp _app = fixture.App;

    private async Task<UploadResult> RejectedAsync(Func<Task<UploadResult>> upload, HttpStatusCode status, string detail, string field = "file")
    {
        var before = await _app.StoredAsync();
        var result = await upload();

        Assert.Equal(status, result.Status);
        Assert.Equal("application/problem+json", result.ContentType);
        Assert.Equal(field, result.Text("field"));
        Assert.Contains(detail, result.Text("detail"));
        Assert.Equal(before, await _app.StoredAsync(), StoredEquality.Instance);
        return result;
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\n\r\n\n")]
    public async Task An_empty_file_is_refused(string content) =>
        await RejectedAsync(() => _app.PostFileAsync(Utf8(content)), HttpStatusCode.BadRequest, "The file is empty");

    [Theory]
    [InlineData("phone,name\n")]
    [InlineData("phone,name")]
    [InlineData("phone,name\r\n\r\n,\r\n")]
    public async Task A_header_without_rows_is_refused(string content) =>
        await RejectedAsync(() => _app.PostFileAsync(Utf8(content)), HttpStatusCode.BadRequest, "a header but no rows");

    [Fact]
    public async Task A_file_without_a_phone_column_is_refused()
    {
        var result = await RejectedAsync(() => _app.PostFileAsync(Utf8("name,city\nBudi,Jakarta\n")), HttpStatusCode.BadRequest,
            "no phone column: name one phone, phone_number, phoneNumber, msisdn or to");
        Assert.Equal(1, result.Count("row"));
    }

    [Theory]
    [InlineData("phone_number,body_variable1,body_variable3\n6281200000001,a,b\n", "body_variable2", "has body_variable3 but no body_variable2")]
    [InlineData("phone_number,customer_name,body_variabel1\n6281200000001,a,b\n", "body_variabel1", "'body_variabel1' is not a column of the Qiscus template")]
    [InlineData("phone,name,Name\n6281200000001,a,b\n", "Name", "appears twice")]
    [InlineData("phone,msisdn\n6281200000001,6281200000002\n", "msisdn", "two phone columns")]
    [InlineData("phone,{name},city\n6281200000001,a,b\n", "city", "'city' is not a named variable")]
    public async Task A_header_no_layout_fits_is_refused_naming_the_column(string csv, string column, string detail)
    {
        var result = await RejectedAsync(() => _app.PostFileAsync(Utf8(csv)), HttpStatusCode.BadRequest, detail);
        Assert.Equal(column, result.Text("column"));
    }

    [Fact]
    public async Task More_than_15_qiscus_body_variables_are_refused()
    {
        var header = "phone_number," + string.Join(",", Enumerable.Range(1, 16).Select(i => $"body_variable{i}"));
        var row = "6281200000001," + string.Join(",", Enumerable.Range(1, 16));
        await RejectedAsync(() => _app.PostFileAsync(Utf8($"{header}\n{row}\n")), HttpStatusCode.BadRequest, "at most 15 body variables");
    }

    [Fact]
    public async Task A_binary_file_is_refused()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, .. new byte[500]];
        await RejectedAsync(() => _app.PostFileAsync(png), HttpStatusCode.UnsupportedMediaType, "binary data");
        byte[] noNul = [.. Utf8("phone,name\n"), 0x89, 0xFF, 0xFE, 0x80, 0x81];
        await RejectedAsync(() => _app.PostFileAsync(noNul), HttpStatusCode.UnsupportedMediaType, "not UTF-8 text");
        byte[] zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, .. Utf8("[Content_Types].xml")];
        await RejectedAsync(() => _app.PostFileAsync(zip), HttpStatusCode.UnsupportedMediaType, "binary data");
    }

    [Fact]
    public async Task A_latin1_file_without_a_bom_is_refused()
    {
        var latin1 = Encoding.Latin1.GetBytes("phone,name\n6281200000001,José\n");
        await RejectedAsync(() => _app.PostFileAsync(latin1), HttpStatusCode.UnsupportedMediaType, "save it as 'CSV UTF-8'");
    }

    [Fact]
    public async Task A_bad_byte_far_into_the_file_is_refused_and_what_was_already_stored_is_deleted()
    {
        var start = Utf8($"phone,name\n6281200000001,\"{new string('x', 200_000)}\"\n");
        byte[] bytes = [.. start, .. Encoding.Latin1.GetBytes("6281200000002,José\n")];
        await RejectedAsync(() => _app.PostFileAsync(bytes), HttpStatusCode.UnsupportedMediaType, "not UTF-8 text");
    }

    [Fact]
    public async Task A_file_over_MaxBytes_is_refused_with_413_whether_its_length_is_known_or_not()
    {
        // Four rows of 900 KB: over the byte limit, under the row limit and the record size limit.
        var csv = new StringBuilder("phone,name\n");
        for (var i = 1; i <= 4; i++) csv.Append($"628120000000{i},").Append('x', 900_000).Append('\n');
        var bytes = Utf8(csv.ToString());

        await RejectedAsync(() => _app.PostRawAsync(bytes), HttpStatusCode.RequestEntityTooLarge, "larger than 3,000,000 bytes (setting Uploads__MaxBytes)");
        await RejectedAsync(() => _app.PostFileAsync(bytes), HttpStatusCode.RequestEntityTooLarge, "Uploads__MaxBytes");
        await RejectedAsync(async () =>
        {
            var chunked = new StreamContent(new UnknownLengthStream(bytes)); // sent chunked: counted while reading
            chunked.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            Assert.Null(chunked.Headers.ContentLength);
            var response = await _app.Client.PostAsync("api/uploads", chunked);
            var text = await response.Content.ReadAsStringAsync();
            return new UploadResult(response.StatusCode, System.Text.Json.JsonDocument.Parse(text).RootElement.Clone(),
                response.Content.Headers.ContentType?.MediaType, null);
        }, HttpStatusCode.RequestEntityTooLarge, "Uploads__MaxBytes");
    }

    [Fact]
    public async Task More_rows_than_MaxRows_are_refused_with_413()
    {
        var rows = Enumerable.Range(1, SmallLimitsFixture.MaxRows).Select(i => $"62812000000{i:D2}").ToList();
        var atLimit = await _app.PostFileAsync(Utf8("phone\n" + string.Join("\n", rows)));
        Assert.Equal(HttpStatusCode.Created, atLimit.Status);

        rows.Add("6281200000099");
        await RejectedAsync(() => _app.PostFileAsync(Utf8("phone\n" + string.Join("\n", rows))), HttpStatusCode.RequestEntityTooLarge,
            "more than 5 rows (setting Uploads__MaxRows)");
    }

    [Fact]
    public async Task A_quote_left_open_in_a_large_file_is_refused_rather_than_read_into_memory()
    {
        var csv = new StringBuilder("phone,name\n6281200000001,\"Budi\n");
        while (csv.Length < 1_500_000) csv.Append("6281200000002,Ani\n");
        var result = await RejectedAsync(() => _app.PostFileAsync(Utf8(csv.ToString())), HttpStatusCode.BadRequest, "line 2 is longer than 1 MB");
        Assert.Equal(2, result.Count("row"));
    }

    [Fact]
    public async Task Requests_without_a_csv_are_refused()
    {
        await RejectedAsync(() => _app.PostRawAsync(Utf8("{\"phone\": \"6281200000001\"}"), "application/json"),
            HttpStatusCode.UnsupportedMediaType, "multipart/form-data field 'file'");
        await RejectedAsync(async () =>
        {
            using var form = new MultipartFormDataContent { { new StringContent(","), "separator" } };
            var response = await _app.Client.PostAsync("api/uploads", form);
            return new UploadResult(response.StatusCode, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(),
                response.Content.Headers.ContentType?.MediaType, null);
        }, HttpStatusCode.BadRequest, "no field 'file'");
    }

    [Fact]
    public async Task Two_files_in_one_upload_are_refused()
    {
        await RejectedAsync(async () =>
        {
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(Utf8("phone\n6281200000001\n")), "file", "a.csv" },
                { new ByteArrayContent(Utf8("phone\n6281200000002\n")), "file", "b.csv" },
            };
            var response = await _app.Client.PostAsync("api/uploads", form);
            return new UploadResult(response.StatusCode, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(),
                response.Content.Headers.ContentType?.MediaType, null);
        }, HttpStatusCode.BadRequest, "one file per upload");
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
