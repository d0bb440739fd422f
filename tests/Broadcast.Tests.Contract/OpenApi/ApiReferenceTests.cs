using System.Net;
using System.Text.RegularExpressions;
using Broadcast.Functions;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.OpenApi;

/// <summary>Scalar's interactive reference under /api/docs: served by the app itself (no CDN, so it works offline),
/// no key needed, and declared to the Functions host like every other /api route.</summary>
public sealed class ApiReferenceTests
{
    [Fact]
    public async Task The_reference_page_and_its_script_come_from_the_app_and_point_at_the_document()
    {
        await using var app = await TestApp.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = app.BaseUrl };

        var page = await anonymous.GetAsync("api/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var sources = Regex.Matches(html, "src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.DoesNotContain("//", s)); // relative: from the app, never a CDN
        Assert.Contains("api/openapi/v1.json", html);

        foreach (var script in sources)
        {
            var response = await anonymous.GetAsync("api/docs/" + script);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{script}: {(int)response.StatusCode}");
            Assert.Contains("javascript", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("api/openapi/v1.json")).StatusCode);
    }
}
