using System.Net;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Api;

public sealed class HealthAndAuthTests
{
    [Fact]
    public async Task Health_needs_no_key_and_reports_storage_and_unconfigured_vendors_without_secrets()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Vendors:Omnichat:BaseUrl"] = "http://127.0.0.1:9",
            ["Vendors:Omnichat:ApiKey"] = "very-secret-omnichat-key",
        });
        using var anonymous = new HttpClient { BaseAddress = app.BaseUrl };
        var response = await anonymous.GetAsync("api/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.True(json.GetProperty("storage_reachable").GetBoolean());
        Assert.True(json.GetProperty("vendors").GetProperty("omnichat").GetProperty("configured").GetBoolean());
        Assert.False(json.GetProperty("vendors").GetProperty("qiscus").GetProperty("configured").GetBoolean());
        Assert.Contains("Vendors__Qiscus__AppId", body);
        Assert.DoesNotContain("very-secret-omnichat-key", body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Api_calls_without_a_valid_key_answer_401_problem(string? key)
    {
        await using var app = await TestApp.StartAsync();
        using var client = new HttpClient { BaseAddress = app.BaseUrl };
        if (key is not null) client.DefaultRequestHeaders.Add("x-functions-key", key);
        var response = await client.GetAsync("api/broadcasts/some-id");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_key_in_query_code_is_accepted()
    {
        await using var app = await TestApp.StartAsync();
        using var client = new HttpClient { BaseAddress = app.BaseUrl };
        var response = await client.GetAsync("api/broadcasts?code=test-key-2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
