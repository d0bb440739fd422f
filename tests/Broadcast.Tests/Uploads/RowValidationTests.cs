using System.Net;
using System.Text;
using Broadcast.Core.Uploads;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Uploads.UploadTestApi;

namespace Broadcast.Tests.Uploads;

public sealed class RowValidationTests(UploadAppFixture fixture) : IClassFixture<UploadAppFixture>
{
    private readonly TestApp _app = fixture.App;

    [Fact]
    public async Task Invalid_rows_are_reported_with_their_line_and_column_and_the_valid_ones_kept()
    {
        var csv =
            "phone_number,customer_name,body_variable1,body_variable2,button_type,button1_variable1\n" +
            "6281200000001,Budi,a,b,call_to_action,x\n" +          // 2 ok
            "08x,Ani,a,b,,x\n" +                                   // 3 bad phone
            "6281200000003,Citra,a,  ,,x\n" +                      // 4 blank variable
            "6281200000004,Dewi,a\n" +                             // 5 short row
            "6281200000005,Eka,a,b,url,x\n" +                      // 6 bad button type
            ",Fajar,,b,,x\n" +                                     // 7 two errors in one row
            "6281200000007,Gita,a,b,,x,oops\n" +                   // 8 an unquoted separator
            "6281200000008,Hadi,a,b,,x,,\n";                       // 9 trailing empty fields are fine
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal((8, 2, 6, 0), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows"), result.Count("duplicates_removed")));
        Assert.Equal(
        [
            (3, "phone_number", "'08x' is not a phone number"),
            (4, "body_variable2", "is empty"),
            (5, "body_variable2", "is missing"),
            (5, "button1_variable1", "is missing"),
            (6, "button_type", "'url' is not a button type: call_to_action or quick_reply"),
            (7, "phone_number", "is empty"),
            (7, "body_variable1", "is empty"),
            (8, null, "has 7 fields but the header has 6: a value holding the separator must be in quotes"),
        ], result.Errors);
        Assert.Equal([2, 9], (await _app.RecipientsAsync(result.Id)).Select(r => r.Row));
    }

    [Fact]
    public async Task The_same_number_twice_keeps_the_first_row_and_reports_the_later_ones()
    {
        var csv = "phone,name\n081200000001,Budi\n6281200000002,Ani\n+62 812 0000 0001,Budi again\n08x,Bad\n0812-0000-0002,Ani again\n";
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal((5, 2, 1, 2), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows"), result.Count("duplicates_removed")));
        Assert.Equal(
        [
            (4, "phone", "duplicate of row 2"),
            (5, "phone", "'08x' is not a phone number"),
            (6, "phone", "duplicate of row 3"),
        ], result.Errors);
        Assert.Equal(["Budi", "Ani"], (await _app.RecipientsAsync(result.Id)).Select(r => r.Name));
    }

    [Fact]
    public async Task An_invalid_first_row_does_not_make_a_later_valid_row_a_duplicate()
    {
        var result = await _app.PostRawAsync(Utf8("phone,{code}\n6281200000001,\n6281200000001,A1\n"));

        Assert.Equal((1, 1, 0), (result.Count("valid_recipients"), result.Count("invalid_rows"), result.Count("duplicates_removed")));
        Assert.Equal(3, Assert.Single(await _app.RecipientsAsync(result.Id)).Row);
    }

    [Fact]
    public async Task No_valid_recipient_answers_422_with_the_errors_and_the_upload_is_not_usable()
    {
        var result = await _app.PostRawAsync(Utf8("phone,name\n08x,Budi\n12,Ani\n"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.Status);
        Assert.Equal("application/problem+json", result.ContentType);
        Assert.Equal((2, 0, 2), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows")));
        Assert.Equal([(2, "phone", "'08x' is not a phone number"), (3, "phone", "'12' is not a phone number")], result.Errors);

        var summary = await _app.Services.GetRequiredService<IUploadCatalog>().GetAsync(result.Id, CancellationToken.None);
        Assert.NotNull(summary);
        Assert.False(summary.Usable);
        var got = await _app.GetAsync($"api/uploads/{result.Id}");
        Assert.False(got.Body.GetProperty("usable").GetBoolean());
    }

    [Fact]
    public async Task The_summary_holds_the_first_100_errors_and_the_errors_endpoint_pages_through_all_of_them()
    {
        var csv = new StringBuilder("phone,name\n6281200000001,Kept\n");
        for (var i = 0; i < 250; i++) csv.Append($"not-{i},Bad\n");
        var result = await _app.PostRawAsync(Utf8(csv.ToString()));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(250, result.Count("invalid_rows"));
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
    }

    [Fact]
    public async Task The_errors_endpoint_rejects_a_bad_limit_or_continuation_and_unknown_uploads()
    {
        var result = await _app.PostRawAsync(Utf8("phone\n6281200000001\n08x\n"));
        Assert.Equal(HttpStatusCode.Created, result.Status);

        var badLimit = await _app.GetAsync($"api/uploads/{result.Id}/errors?limit=0");
        var badContinuation = await _app.GetAsync($"api/uploads/{result.Id}/errors?continuation=99999");
        var midLine = await _app.GetAsync($"api/uploads/{result.Id}/errors?continuation=3");
        var unknown = await _app.GetAsync("api/uploads/aaaaaaaaaaaaaaaaaaaaaaaa/errors");
        var unknownSummary = await _app.GetAsync("api/uploads/not-an-id");

        Assert.Equal((HttpStatusCode.BadRequest, "limit"), (badLimit.Status, badLimit.Text("field")));
        Assert.Equal((HttpStatusCode.BadRequest, "continuation"), (badContinuation.Status, badContinuation.Text("field")));
        Assert.Equal((HttpStatusCode.BadRequest, "continuation"), (midLine.Status, midLine.Text("field")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownSummary.Status);
    }

    [Fact]
    public async Task Landlines_are_kept_and_marked_in_the_report_and_a_number_its_country_lacks_is_an_error()
    {
        var csv =
            "phone,name\n" +
            "081290641111,Budi\n" +       // 2 a mobile
            "(021) 555-1234,Kantor\n" +   // 3 a Jakarta landline: kept, marked
            "12345678,Ani\n" +            // 4 no country has it
            "+62 22 4201234,Cabang\n";    // 5 a Bandung landline
        var result = await _app.PostRawAsync(Utf8(csv));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal((3, 1, 2), (result.Count("valid_recipients"), result.Count("invalid_rows"), result.Count("landlines")));
        Assert.Equal([3, 5], result.Body.GetProperty("landline_rows").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([(4, "phone", "'12345678' is not a valid number for country code +1")], result.Errors);

        var again = await _app.GetAsync($"api/uploads/{result.Id}");
        Assert.Equal(2, again.Count("landlines"));
        Assert.Equal([3, 5], again.Body.GetProperty("landline_rows").EnumerateArray().Select(e => e.GetInt64()));
    }
}
