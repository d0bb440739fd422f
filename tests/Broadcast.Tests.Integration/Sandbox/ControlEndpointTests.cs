using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Sandbox;

namespace Broadcast.Tests.Integration.Sandbox;

public sealed class ControlEndpointTests : SandboxTestBase
{
    [Fact]
    public async Task Health_is_ok()
    {
        Assert.Equal("""{"status":"ok"}""", await Http.GetStringAsync("sandbox/health"));
    }

    [Fact]
    public async Task Requests_are_listed_in_snake_case_and_filtered_by_vendor()
    {
        await PostOmnichatAsync(OmnichatText());
        await PostKhorosAsync(KhorosBody("+12345678901"), "Bearer x");

        var raw = await Http.GetFromJsonAsync<JsonElement>("sandbox/requests");
        var all = await RecordedOverHttpAsync();
        var khoros = await RecordedOverHttpAsync(Vendors.Khoros);

        var first = raw[0];
        foreach (var field in new[] { "seq", "vendor", "method", "path", "headers", "content_type", "body", "received_at", "status_code" })
            Assert.True(first.TryGetProperty(field, out _), field);
        Assert.Equal(2, all.Count);
        Assert.True(all[0].Seq < all[1].Seq);
        Assert.Equal(Vendors.Omnichat, all[0].Vendor);
        Assert.Equal("POST", all[0].Method);
        Assert.Equal("/api-app/whatsapp/send-message", all[0].Path);
        Assert.StartsWith("application/json", all[0].ContentType);
        Assert.Contains("\"api_key\"", all[0].Body);
        Assert.Equal(200, all[0].StatusCode);
        var k = Assert.Single(khoros);
        Assert.Equal(401, k.StatusCode);
        Assert.Equal("Bearer x", k.Headers["Authorization"]);
        Assert.True(k.ReceivedAt <= DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("sandbox/requests?vendor=nobody")).StatusCode);
    }

    [Fact]
    public async Task Deliveries_stats_and_clearing()
    {
        await PostKhorosAsync(KhorosBody("+12345678901", "+12345678902"));
        await PostKhorosAsync(KhorosBody("+12345678901"));
        await PostOmnichatAsync(new { phone = "6281290641111", api_key = "wrong" });

        var deliveries = await Http.GetFromJsonAsync<Dictionary<string, int>>("sandbox/deliveries?vendor=khoros");
        var stats = await Http.GetFromJsonAsync<Dictionary<string, VendorStats>>("sandbox/stats", SnakeCase);

        Assert.Equal(new Dictionary<string, int> { ["+12345678901"] = 2, ["+12345678902"] = 1 }, deliveries);
        Assert.Equal(new VendorStats(2, 2, 0), stats!["khoros"]);
        Assert.Equal(new VendorStats(1, 0, 1), stats["omnichat"]);
        Assert.Equal(new VendorStats(0, 0, 0), stats["qiscus"]);

        var cleared = await Http.DeleteAsync("sandbox/requests");

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Empty(await RecordedOverHttpAsync());
        Assert.Empty(State.Deliveries(Vendors.Khoros));
        Assert.Equal(0, State.TotalRequests(Vendors.Khoros));
    }

    [Fact]
    public async Task Uploaded_files_can_be_read_and_reset_clears_everything()
    {
        var fileId = (await JsonOf(await UploadCsvAsync(Rows(2)))).GetProperty("broadcast_file_id").GetInt64();
        State.Configure(Vendors.Qiscus, new VendorBehavior { FailNext = 3 });

        var rows = await Http.GetFromJsonAsync<List<Dictionary<string, string>>>($"sandbox/qiscus/files/{fileId}");
        Assert.Equal("6281100000001", rows![1]["phone_number"]);

        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync("sandbox/reset", null)).StatusCode);

        Assert.Null(State.UploadedFile(fileId));
        Assert.Empty(State.Requests());
        Assert.Equal(0, State.Behavior(Vendors.Qiscus).FailNext);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"sandbox/qiscus/files/{fileId}")).StatusCode);
    }
}
