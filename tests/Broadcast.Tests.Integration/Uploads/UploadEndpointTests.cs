using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Uploads.UploadTestApi;

namespace Broadcast.Tests.Integration.Uploads;

/// <summary>An app with small upload limits, so that a file over them is quick to send.</summary>
public sealed class SmallLimitsFixture : IAsyncLifetime
{
    public const int MaxBytes = 3_000_000;

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        ["Uploads:MaxBytes"] = MaxBytes.ToString(),
    });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>POST /api/uploads end to end: real files over real HTTP into the app, stored in Azurite, read back
/// through GET. How rows are read and validated is tested without HTTP in Broadcast.Tests.Unit's Uploads folder;
/// these show the parts together: the answers' statuses and bodies, and what storage keeps.</summary>
public sealed class UploadEndpointTests(SmallLimitsFixture fixture) : IClassFixture<SmallLimitsFixture>
{
    private readonly TestApp _app = fixture.App;

    [Theory]
    [InlineData("qiscus-template.csv", 3)]
    [InlineData("qiscus-template-semicolon.csv", 2)]
    [InlineData("omnichat-named.csv", 2)]
    [InlineData("khoros-audience.csv", 2)]
    public async Task A_sample_file_is_counted_stored_as_sent_and_its_summary_answered_again(string sample, int rows)
    {
        var bytes = await File.ReadAllBytesAsync(RepoPaths.Sample(sample));
        var posted = await _app.PostFileAsync(bytes);

        Assert.Equal(HttpStatusCode.Created, posted.Status);
        Assert.Equal($"/api/uploads/{posted.Id}", posted.Location?.OriginalString);
        Assert.Equal((rows, rows, 0, 0), (posted.Count("total_rows"), posted.Count("valid_recipients"), posted.Count("invalid_rows"), posted.Count("duplicates_removed")));
        Assert.True(posted.Body.GetProperty("usable").GetBoolean());
        Assert.Equal(rows, (await _app.RecipientsAsync(posted.Id)).Count);
        Assert.Equal(bytes, await _app.OriginalAsync(posted.Id));

        var got = await _app.GetAsync($"api/uploads/{posted.Id}");
        Assert.Equal(HttpStatusCode.OK, got.Status);
        foreach (var field in new[] { "upload_id", "layout", "separator", "columns", "total_rows", "valid_recipients", "invalid_rows", "duplicates_removed", "errors", "variable_names", "usable" })
            Assert.Equal(posted.Body.GetProperty(field).GetRawText(), got.Body.GetProperty(field).GetRawText());
    }

    [Fact]
    public async Task Row_errors_name_their_row_and_column_and_the_errors_endpoint_pages_through_all_of_them()
    {
        var csv = new StringBuilder("phone,name\n6281200000001,Kept\n");
        for (var i = 0; i < 250; i++) csv.Append($"not-{i},Bad\n");
        var result = await _app.PostRawAsync(Utf8(csv.ToString()));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal((251, 1, 250), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows")));
        Assert.Equal(100, result.Errors.Count);
        Assert.Equal((3, "phone", "'not-0' is not a phone number"), result.Errors[0]);
        Assert.Equal(result.Errors, (await _app.GetAsync($"api/uploads/{result.Id}")).Errors);

        var rows = new List<long>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await _app.GetAsync($"api/uploads/{result.Id}/errors?limit=60" + (continuation is null ? "" : $"&continuation={continuation}"));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            rows.AddRange(page.Errors.Select(e => e.Row));
            continuation = page.Body.GetProperty("continuation").GetString();
            pages++;
        } while (continuation is not null);
        Assert.Equal(5, pages);
        Assert.Equal(Enumerable.Range(3, 250).Select(r => (long)r), rows);

        var badLimit = await _app.GetAsync($"api/uploads/{result.Id}/errors?limit=0");
        var badContinuation = await _app.GetAsync($"api/uploads/{result.Id}/errors?continuation=3");
        var unknown = await _app.GetAsync("api/uploads/aaaaaaaaaaaaaaaaaaaaaaaa/errors");
        var unknownSummary = await _app.GetAsync("api/uploads/not-an-id");
        Assert.Equal((HttpStatusCode.BadRequest, "limit"), (badLimit.Status, badLimit.Text("field")));
        Assert.Equal((HttpStatusCode.BadRequest, "continuation"), (badContinuation.Status, badContinuation.Text("field")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownSummary.Status);
    }

    [Fact]
    public async Task A_file_without_a_valid_recipient_answers_422_with_its_errors_and_is_kept_unusable()
    {
        var result = await _app.PostRawAsync(Utf8("phone,name\n08x,Budi\n12,Ani\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.Status);
        Assert.Equal("application/problem+json", result.ContentType);
        Assert.Equal((2, 0, 2), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows")));
        Assert.Equal([(2, "phone", "'08x' is not a phone number"), (3, "phone", "'12' is not a phone number")], result.Errors);
        var got = await _app.GetAsync($"api/uploads/{result.Id}");
        Assert.False(got.Body.GetProperty("usable").GetBoolean());
    }

    [Fact]
    public async Task A_file_no_layout_fits_answers_400_naming_its_row_and_column_and_nothing_is_kept()
    {
        var before = await _app.StoredAsync();
        var result = await _app.PostFileAsync(Utf8("phone,name,Name\n6281200000001,a,b\n"));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("application/problem+json", result.ContentType);
        Assert.Equal(("file", 1, "Name"), (result.Text("field"), result.Count("row"), result.Text("column")));
        Assert.Contains("appears twice", result.Text("detail"));
        Assert.Equal(before, await _app.StoredAsync(), StoredEquality.Instance);
    }

    [Fact]
    public async Task A_hint_or_a_second_file_after_the_file_answers_400_and_the_file_already_stored_is_deleted()
    {
        var before = await _app.StoredAsync();
        var lateHint = await _app.PostFileAsync(Utf8("phone\n6281200000001\n"), fieldsAfter: [("separator", ";")]);
        using var twoFiles = new MultipartFormDataContent
        {
            { new ByteArrayContent(Utf8("phone\n6281200000001\n")), "file", "a.csv" },
            { new ByteArrayContent(Utf8("phone\n6281200000002\n")), "file", "b.csv" },
        };
        var secondFile = await ReadAsync(await _app.Client.PostAsync("api/uploads", twoFiles));

        Assert.Equal((HttpStatusCode.BadRequest, "separator"), (lateHint.Status, lateHint.Text("field")));
        Assert.Contains("before 'file'", lateHint.Text("detail"));
        Assert.Equal((HttpStatusCode.BadRequest, "file"), (secondFile.Status, secondFile.Text("field")));
        Assert.Contains("one file per upload", secondFile.Text("detail"));
        Assert.Equal(before, await _app.StoredAsync(), StoredEquality.Instance);
    }

    [Fact]
    public async Task A_file_over_MaxBytes_answers_413_whether_its_length_is_known_or_not_and_nothing_is_kept()
    {
        // Four rows of 900 KB: over the byte limit, under the record size limit.
        var csv = new StringBuilder("phone,name\n");
        for (var i = 1; i <= 4; i++) csv.Append($"628120000000{i},").Append('x', 900_000).Append('\n');
        var bytes = Utf8(csv.ToString());
        var before = await _app.StoredAsync();

        var known = await _app.PostRawAsync(bytes);
        var multipart = await _app.PostFileAsync(bytes);
        var chunked = new StreamContent(new UnknownLengthStream(bytes)); // sent chunked: counted while reading
        chunked.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        Assert.Null(chunked.Headers.ContentLength);
        var unknown = await ReadAsync(await _app.Client.PostAsync("api/uploads", chunked));

        foreach (var result in new[] { known, multipart, unknown })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, result.Status);
            Assert.Equal("application/problem+json", result.ContentType);
            Assert.Equal("file", result.Text("field"));
            Assert.Contains("larger than 3,000,000 bytes (setting Uploads__MaxBytes)", result.Text("detail"));
        }
        Assert.Equal(before, await _app.StoredAsync(), StoredEquality.Instance);
    }

    private static async Task<UploadResult> ReadAsync(HttpResponseMessage response)
    {
        using (response)
            return new UploadResult(response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(),
                response.Content.Headers.ContentType?.MediaType, response.Headers.Location);
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
