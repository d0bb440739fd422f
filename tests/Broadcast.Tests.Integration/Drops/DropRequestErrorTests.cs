using Broadcast.Core.Storage;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Drops.DropHelpers;

namespace Broadcast.Tests.Integration.Drops;

/// <summary>Drops refused before anything starts; they share one app, so nothing may ever start in it.</summary>
public sealed class DropRequestErrorTests(DropStackFixture fixture) : IClassFixture<DropStackFixture>
{
    private readonly Stack _stack = fixture.Stack;

    private static string NewName() => "drop-" + Guid.NewGuid().ToString("N")[..8];

    private async Task AssertNothingImportedOrStartedAsync()
    {
        Assert.Empty(await BlobNamesAsync(_stack.App, _stack.App.Services.GetRequiredService<StorageNames>().UploadsContainer));
        Assert.Empty(await BroadcastsAsync(_stack.App));
        foreach (var vendor in new[] { "qiscus", "khoros", "omnichat" }) Assert.Equal(0, _stack.Sandbox.State.TotalRequests(vendor));
    }

    [Theory]
    [InlineData("""{"provider": "omnichat", "text": "hi", "is_group": "yes"}""", "is_group")]
    [InlineData("""{"provider": "pigeon", "text": "hi"}""", "provider")]
    [InlineData("""{"text": "hi"}""", "provider")]
    [InlineData("""{"provider": "omnichat", "text": "hi", "started_at": "tomorrow"}""", "started_at")]
    [InlineData("""{"provider": "omnichat", "text": "hi", "upload_id": "x"}""", "upload_id")]
    [InlineData("""{"provider": "omnichat", "text": "hi", "recipients": []}""", "recipients")]
    [InlineData("""{"provider": "qiscus", "text": "hi"}""", "text")]
    [InlineData("""{"provider": "khoros", "text": "hi", "delivery": "twice"}""", "delivery")]
    [InlineData("""{"provider": "omnichat", "template": {"id": "t", "buttons": [{"values": "x"}]}}""", "template.buttons[0].type")]
    [InlineData("{not json", null)]
    public async Task A_bad_sidecar_gets_an_error_file_naming_the_field_and_costs_no_import(string json, string? field)
    {
        var name = NewName();
        await DropJsonAsync(_stack.App, $"{name}.json", json);
        var error = await WaitReportAsync(_stack.App, $"{name}.error.json", await DropCsvAsync(_stack.App, $"{name}.csv", Numbers(0, 2)));

        Assert.Equal(400, error.GetProperty("status").GetInt32());
        if (field is null)
        {
            Assert.Equal("Malformed request", error.Str("title"));
            Assert.False(error.TryGetProperty("field", out _));
        }
        else
        {
            Assert.Equal(field, error.Str("field"));
            Assert.Equal(field, Assert.Single(error.GetProperty("errors").EnumerateArray()).Str("field"));
        }
        Assert.Equal("invalid", (await SettledAsync(_stack.App, $"{name}.csv")).Outcome);
        await AssertNothingImportedOrStartedAsync();
    }

    [Theory]
    [InlineData("native_bulk", "maybe", "native_bulk")]
    [InlineData("template", "{\"id\": 1", "template")]
    [InlineData("template", "\"just text\"", "template")]
    [InlineData("provider", "pigeon", "provider")]
    [InlineData("upload_id", "abc", "upload_id")]
    public async Task Bad_request_metadata_gets_an_error_file_naming_the_field(string key, string value, string field)
    {
        var name = NewName();
        var metadata = new Dictionary<string, string> { ["provider"] = "omnichat", ["text"] = "hi", [key] = value };
        var error = await WaitReportAsync(_stack.App, $"{name}.error.json", await DropCsvAsync(_stack.App, $"{name}.csv", Numbers(0, 2), metadata));

        Assert.Equal(field, error.Str("field"));
        await AssertNothingImportedOrStartedAsync();
    }

    [Theory]
    [InlineData("phone,name\n", 400, "The file has a header but no rows.")]
    [InlineData("", 400, "The file is empty.")]
    public async Task An_unusable_csv_gets_an_error_file_naming_the_file_and_keeps_nothing(string csv, int status, string detail)
    {
        var name = NewName();
        await DropRequestAsync(_stack.App, $"{name}.json", new { provider = "omnichat", text = "hi" });
        var error = await WaitReportAsync(_stack.App, $"{name}.error.json", await DropCsvAsync(_stack.App, $"{name}.csv", csv));

        Assert.Equal(status, error.GetProperty("status").GetInt32());
        Assert.Equal("file", error.Str("field"));
        Assert.Equal(detail, error.Str("detail"));
        await AssertNothingImportedOrStartedAsync();
    }
}
