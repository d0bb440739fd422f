using System.Net;
using Broadcast.Functions;
using Broadcast.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Broadcast.Tests.Integration.Dashboard;

/// <summary>How the dashboard is served: without a key (it holds no secret) while the API keeps asking for one, at
/// /api/dashboard/ in both modes (an HTTP function under the Functions host), and at / when the app runs standalone.</summary>
public sealed class DashboardServingTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Stack.App.BaseUrl };

    [Fact]
    public async Task The_page_and_its_files_are_served_without_a_key_while_the_api_still_needs_one()
    {
        using var client = Anonymous();

        var home = await client.GetAsync("");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/api/dashboard/", home.Headers.Location!.ToString());
        var bare = await client.GetAsync("api/dashboard");
        Assert.Equal("/api/dashboard/", bare.Headers.Location!.ToString());

        var page = await client.GetAsync("api/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"app.js\">", html);
        Assert.DoesNotContain(TestApp.ApiKey, html);

        foreach (var (file, type) in new[] { ("app.js", "text/javascript"), ("views/broadcast.js", "text/javascript"), ("app.css", "text/css") })
        {
            var response = await client.GetAsync("api/dashboard/" + file);
            Assert.True(response.StatusCode == HttpStatusCode.OK, file);
            Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/dashboard/no-such-file.js")).StatusCode);

        // Revalidated on every load (a new deployment shows at once), answered 304 while unchanged.
        var script = await client.GetAsync("api/dashboard/app.js");
        Assert.True(script.Headers.CacheControl!.NoCache);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "api/dashboard/app.js");
        conditional.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/broadcasts")).StatusCode);
    }
}
