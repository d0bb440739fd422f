using System.Text;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Drops.DropHelpers;

namespace Broadcast.Tests.Integration.Drops;

public sealed class DropInvalidTests
{
    private static async Task AssertNothingStartedAsync(Stack stack)
    {
        Assert.Empty(await BroadcastsAsync(stack.App));
        foreach (var vendor in new[] { "qiscus", "khoros", "omnichat" }) Assert.Equal(0, stack.Sandbox.State.TotalRequests(vendor));
    }

    [Fact]
    public async Task A_csv_without_a_valid_recipient_gets_an_error_file_with_rows_and_columns_and_starts_nothing()
    {
        await using var stack = await Stack.StartAsync(Settings());
        var app = stack.App;
        await DropRequestAsync(app, "bad.json", new { provider = "omnichat", text = "hi" });
        var etag = await DropCsvAsync(app, "bad.csv", "phone,name\nnot a number,Budi\n12,Ani\n");

        var error = await WaitReportAsync(app, "bad.error.json", etag);
        Assert.Equal(422, error.GetProperty("status").GetInt32());
        Assert.Equal("No valid recipient", error.Str("title"));
        var errors = error.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([2, 3], errors.Select(e => e.GetProperty("row").GetInt32()));
        Assert.All(errors, e => Assert.Equal("phone", e.Str("column")));
        // As with POST /api/uploads, the upload is kept so that every row error can be paged.
        var upload = await app.GetJsonAsync($"api/uploads/{error.Str("upload_id")}");
        Assert.False(upload.GetProperty("usable").GetBoolean());

        var again = await SettledAsync(app, "bad.csv");
        Assert.Equal("invalid", again.Outcome);
        Assert.Null(await ReportAsync(app, "bad.result.json"));
        await AssertNothingStartedAsync(stack);
    }

    [Fact]
    public async Task Files_that_are_not_drops_are_ignored_and_a_sidecar_may_start_with_a_bom()
    {
        await using var stack = await Stack.StartAsync(Settings());
        var app = stack.App;
        await DropJsonAsync(app, "notes.txt", "{}");
        await DropJsonAsync(app, "lonely.json", """{"provider": "omnichat", "text": "hi"}""");
        Assert.Equal("ignored", (await ProcessAsync(app, "notes.txt")).Outcome);
        Assert.Equal("ignored", (await ProcessAsync(app, "lonely.json")).Outcome);
        Assert.Equal("ignored", (await ProcessAsync(app, "lonely.result.json")).Outcome);
        Assert.Equal("ignored", (await ProcessAsync(app, "missing.csv")).Outcome);
        var bom = Encoding.UTF8.GetPreamble().Concat(JsonSerializer.SerializeToUtf8Bytes(new { provider = "omnichat", text = "hi" })).ToArray();
        await StorageOf(app).Blobs.UploadAsync(DropHelpers.Container(app), "bom.json", bom, "application/json", CancellationToken.None);
        var etag = await DropCsvAsync(app, "bom.csv", Numbers(0, 1));
        Assert.Equal(etag, (await WaitReportAsync(app, "bom.result.json", etag)).Str("csv_etag"));
    }
}
