using System.Net;
using System.Text;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Hardening;

/// <summary>Inputs that used to reach storage limits, the framework's wording or the vendor: each a 4xx naming the field.</summary>
public sealed class InputLimitTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private Stack Stack => fixture.Stack;

    private static string Json(object o) => JsonSerializer.Serialize(o);

    private static string Omnichat(string extra = "", string text = "hi") =>
        "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"text\": " + JsonSerializer.Serialize(text) + extra + "}";

    private static readonly string Qiscus16 = Json(new
    {
        provider = "qiscus", to = "6281290641111",
        template = new { name = "t", id = "1", @namespace = "n", language = "id", variables = Enumerable.Range(0, 16).Select(i => $"v{i}").ToArray() },
    });

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // path, body, field, status, what it was
        { "api/messages", Omnichat(text: new string('x', 40_000)), "text", 400, "a 40,000-character text" },
        { "api/messages", Json(new { provider = "khoros", to = "+12345678901", text = new string('x', 2500), channel = new { channel_name = "messenger" } }), "text", 400, "a Messenger text over 2,000" },
        { "api/broadcasts", Json(new { name = new string('n', 20_000), provider = "omnichat", text = "hi", recipients = new[] { new { to = "6281290641111" } } }), "name", 400, "a 20,000-character name" },
        { "api/messages", Json(new { provider = "omnichat", to = "6281290641111", template = new { id = "510b32e9", variables = Enumerable.Range(0, 20_000).ToDictionary(i => $"{{v{i}}}", i => "x") } }), "template.variables", 400, "20,000 named variables" },
        { "api/broadcasts", Json(new { provider = "omnichat", text = "hi", recipients = new[] { new { to = "6281290641111", variables = new Dictionary<string, string> { ["{name}"] = new string('v', 5000) } } } }), "recipients[0].variables.{name}", 400, "a 5,000-character variable" },
        { "api/messages", Qiscus16, "template.variables", 400, "16 Qiscus variables" },
        { "api/suppressions", Json(new { phone_number = "6281290641111", reason = new string('r', 100_000) }), "reason", 400, "a 100,000-character reason" },
        { "api/broadcasts", "{\"provider\": \"omnichat\", \"text\": \"hi\", \"recipients\": [null]}", "recipients[0]", 400, "a null recipient" },
        { "api/messages", "{\"provider\": \"qiscus\", \"to\": \"6281290641111\", \"template\": {\"name\": \"t\", \"id\": \"1\", \"namespace\": \"n\", \"language\": \"id\", \"buttons\": [null]}}", "template.buttons[0]", 400, "a null button" },
        { "api/messages", Json(new { provider = "qiscus", to = "6281290641111", template = new { name = "t", id = "1", @namespace = "n", language = "id" }, channel = new { channel_id = 0 } }), "channel.channel_id", 400, "channel_id 0" },
        { "api/messages", Json(new { provider = "qiscus", to = "6281290641111", template = new { name = "t", id = "1", @namespace = "n", language = "id" }, channel = new { channel_id = -7 } }), "channel.channel_id", 400, "a negative channel_id" },
        { "api/messages", "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"to\": \"6281290642222\", \"text\": \"hi\"}", "to", 400, "\"to\" twice" },
        { "api/messages", "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"template\": {\"id\": \"x\", \"variables\": {\"{a}\": \"1\", \"{a}\": \"2\"}}}", "template.variables.{a}", 400, "a variable twice" },
        { "api/messages", Omnichat(text: "hi\u0000there"), "text", 400, "a NUL in the text" },
        { "api/messages", Omnichat(text: "hi\u001b[31m"), "text", 400, "an escape in the text" },
        { "api/messages", "{\"provider\": \"omnichat\", \"to\": \"6281290641111\", \"name\": \"Bu\\ndi\", \"text\": \"hi\"}", "name", 400, "a newline in a name" },
        { "api/messages", "", "body", 400, "an empty body" },
        { "api/messages", "null", "body", 400, "a null body" },
        { "api/messages", "[1, 2]", "body", 400, "an array body" },
        { "api/broadcasts", "", "body", 400, "an empty broadcast body" },
        { "api/broadcasts", "\"text\"", "body", 400, "a string body" },
        { "api/suppressions", "", "body", 400, "an empty suppression body" },
        { "api/messages?wait=abc", Omnichat(), "wait", 400, "wait=abc" },
        { "api/messages?wait=61", Omnichat(), "wait", 400, "wait=61" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_with_our_problem_naming_the_field(string path, string body, string field, int status, string what)
    {
        var before = await BroadcastCount();
        var response = await Stack.App.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(field, problem.Str("field"));
        AssertOurWording(problem.Str("detail"));
        Assert.Equal(before, await BroadcastCount());
    }

    [Fact]
    public async Task Newlines_and_tabs_in_a_text_are_fine()
    {
        var response = await Stack.App.Client.PostAsync("api/messages",
            new StringContent(Omnichat(text: "Line one\r\nLine two\n\tindented"), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_request_limit_is_413()
    {
        var huge = Omnichat(extra: ", \"padding\": \"" + new string('p', 5 * 1024 * 1024) + "\"");
        var response = await Stack.App.Client.PostAsync("api/messages", new StringContent(huge, Encoding.UTF8, "application/json"));
        var problem = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body", problem.Str("field"));
    }

    [Theory]
    [InlineData("api/broadcasts?continuation=garbage")]
    [InlineData("api/suppressions?continuation=garbage")]
    [InlineData("api/broadcasts?limit=abc")]
    [InlineData("api/suppressions?limit=1e3")]
    [InlineData("api/broadcasts/x/recipients?limit=abc")]
    public async Task Query_parameters_that_do_not_parse_are_400_naming_them(string path)
    {
        var response = await Stack.App.Client.GetAsync(path);
        var problem = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(path.Contains("limit") ? "limit" : "continuation", problem.Str("field"));
        AssertOurWording(problem.Str("detail"));
    }

    [Fact]
    public async Task A_paging_token_we_gave_out_still_pages()
    {
        for (var i = 0; i < 3; i++)
            await Stack.App.PostJsonAsync("api/suppressions", new { phone_number = $"62812900000{i:D2}", reason = "test" });
        var first = await Stack.App.GetJsonAsync("api/suppressions?limit=2");
        var token = first.Str("continuation");
        var second = await Stack.App.GetJsonAsync($"api/suppressions?limit=2&continuation={Uri.EscapeDataString(token)}");
        Assert.NotEmpty(second.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_utf32_csv_is_415()
    {
        var csv = new UTF32Encoding(bigEndian: false, byteOrderMark: true);
        var bytes = csv.GetPreamble().Concat(csv.GetBytes("phone,name\n6281290641111,Budi\n")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        var response = await Stack.App.Client.PostAsync("api/uploads", content);
        var problem = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("UTF-32", problem.Str("detail"));
    }

    private static void AssertOurWording(string detail)
    {
        foreach (var framework in new[] { "Implicit body", "Failed to bind", "Required parameter", "was not provided", "JSON value could not be converted" })
            Assert.DoesNotContain(framework, detail);
    }

    private async Task<int> BroadcastCount() =>
        (await Stack.App.GetJsonAsync("api/broadcasts?limit=100")).GetProperty("items").GetArrayLength();
}
