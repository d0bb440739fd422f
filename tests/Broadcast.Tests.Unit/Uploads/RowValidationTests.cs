using System.Text;
using Broadcast.Core.Uploads;
using static Broadcast.Tests.Unit.Uploads.UploadHarness;

namespace Broadcast.Tests.Unit.Uploads;

/// <summary>Rows that cannot be sent are reported by row and column and the rest kept: bad numbers, empty or missing
/// cells, bad button types, unquoted separators, duplicates, landlines; every error is kept and can be paged.</summary>
public sealed class RowValidationTests : IAsyncDisposable
{
    private readonly UploadHarness _uploads = new();

    public ValueTask DisposeAsync() => _uploads.DisposeAsync();

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
        var summary = await _uploads.ImportAsync(csv);

        Assert.Equal((8, 2, 6, 0), (summary.TotalRows, summary.ValidRecipients, summary.InvalidRows, summary.DuplicatesRemoved));
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
        ], Errors(summary.Errors));
        Assert.Equal([2, 9], (await _uploads.RecipientsAsync(summary)).Select(r => r.Row));
    }

    [Fact]
    public async Task The_same_number_twice_keeps_the_first_row_and_reports_the_later_ones()
    {
        var summary = await _uploads.ImportAsync("phone,name\n081200000001,Budi\n6281200000002,Ani\n+62 812 0000 0001,Budi again\n08x,Bad\n0812-0000-0002,Ani again\n");

        Assert.Equal((5, 2, 1, 2), (summary.TotalRows, summary.ValidRecipients, summary.InvalidRows, summary.DuplicatesRemoved));
        Assert.Equal(
        [
            (4, "phone", "duplicate of row 2"),
            (5, "phone", "'08x' is not a phone number"),
            (6, "phone", "duplicate of row 3"),
        ], Errors(summary.Errors));
        Assert.Equal(["Budi", "Ani"], (await _uploads.RecipientsAsync(summary)).Select(r => r.Name));
    }

    [Fact]
    public async Task An_invalid_first_row_does_not_make_a_later_valid_row_a_duplicate()
    {
        var summary = await _uploads.ImportAsync("phone,{code}\n6281200000001,\n6281200000001,A1\n");

        Assert.Equal((1, 1, 0), (summary.ValidRecipients, summary.InvalidRows, summary.DuplicatesRemoved));
        Assert.Equal(3, Assert.Single(await _uploads.RecipientsAsync(summary)).Row);
    }

    [Fact]
    public async Task An_upload_without_a_valid_recipient_is_kept_with_its_errors_but_not_usable()
    {
        var summary = await _uploads.ImportAsync("phone,name\n08x,Budi\n12,Ani\n");

        Assert.Equal((2, 0, 2), (summary.TotalRows, summary.ValidRecipients, summary.InvalidRows));
        Assert.Equal([(2, "phone", "'08x' is not a phone number"), (3, "phone", "'12' is not a phone number")], Errors(summary.Errors));
        Assert.False(summary.Usable);
        var stored = await _uploads.Catalog.GetAsync(summary.UploadId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.False(stored.Usable);
    }

    [Fact]
    public async Task The_summary_holds_the_first_100_errors_and_the_error_log_pages_through_all_of_them()
    {
        var csv = new StringBuilder("phone,name\n6281200000001,Kept\n");
        for (var i = 0; i < 250; i++) csv.Append($"not-{i},Bad\n");
        var summary = await _uploads.ImportAsync(csv.ToString());

        Assert.Equal(250, summary.InvalidRows);
        Assert.Equal(100, summary.Errors.Count);
        Assert.Equal((3, "phone", "'not-0' is not a phone number"), Errors(summary.Errors)[0]);
        var stored = await _uploads.Catalog.GetAsync(summary.UploadId, CancellationToken.None);
        Assert.Equal(Errors(summary.Errors), Errors(stored!.Errors));

        var rows = new List<long>();
        long offset = 0;
        var pages = 0;
        string? continuation;
        do
        {
            var page = await _uploads.Catalog.ReadErrorsAsync(summary.UploadId, offset, 60, CancellationToken.None);
            rows.AddRange(page.Errors.Select(e => e.Row));
            continuation = page.Continuation;
            if (continuation is not null) offset = long.Parse(continuation, System.Globalization.CultureInfo.InvariantCulture);
            pages++;
        } while (continuation is not null);
        Assert.Equal(5, pages);
        Assert.Equal(Enumerable.Range(3, 250).Select(r => (long)r), rows);
    }

    [Theory]
    [InlineData(99999)] // past the end of the log
    [InlineData(3)]     // in the middle of a line
    public async Task A_continuation_that_is_not_one_the_error_log_gave_is_refused_naming_it(long offset)
    {
        var summary = await _uploads.ImportAsync("phone\n6281200000001\n08x\n");

        var refused = await Assert.ThrowsAsync<UploadRejectedException>(() =>
            _uploads.Catalog.ReadErrorsAsync(summary.UploadId, offset, 100, CancellationToken.None));
        Assert.Equal("continuation", refused.Field);
        Assert.Equal(Core.Refusal.Invalid, refused.Refusal);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaa")] // an id no upload has
    [InlineData("not-an-id")]
    public async Task An_unknown_upload_is_not_found(string id) =>
        Assert.Null(await _uploads.Catalog.GetAsync(id, CancellationToken.None));

    [Fact]
    public async Task Landlines_are_kept_and_marked_in_the_report_and_a_number_its_country_lacks_is_an_error()
    {
        var csv =
            "phone,name\n" +
            "081290641111,Budi\n" +       // 2 a mobile
            "(021) 555-1234,Kantor\n" +   // 3 a Jakarta landline: kept, marked
            "12345678,Ani\n" +            // 4 no country has it
            "+62 22 4201234,Cabang\n";    // 5 a Bandung landline
        var summary = await _uploads.ImportAsync(csv);

        Assert.Equal((3, 1, 2), (summary.ValidRecipients, summary.InvalidRows, summary.Landlines));
        Assert.Equal([3, 5], summary.LandlineRows!);
        Assert.Equal([(4, "phone", "'12345678' is not a valid number for country code +1")], Errors(summary.Errors));

        var stored = await _uploads.Catalog.GetAsync(summary.UploadId, CancellationToken.None);
        Assert.Equal(2, stored!.Landlines);
        Assert.Equal([3, 5], stored.LandlineRows!);
    }
}
