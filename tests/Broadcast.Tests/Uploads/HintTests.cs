using System.Net;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Uploads.UploadTestApi;

namespace Broadcast.Tests.Uploads;

public sealed class HintTests(UploadAppFixture fixture) : IClassFixture<UploadAppFixture>
{
    private readonly TestApp _app = fixture.App;

    private const string Qiscus2 = "phone_number,customer_name,body_variable1,body_variable2\n6281200000001,Budi,a,b\n";
    private const string Named = "phone,name,{business_name},{name}\n6281200000001,Budi,My Store,Budi\n";

    [Theory]
    [InlineData("2")]
    [InlineData("{\"variables\": 2}")]
    public async Task A_template_hint_that_matches_the_file_is_accepted(string template)
    {
        var result = await _app.PostFileAsync(Utf8(Qiscus2), [("provider", "qiscus"), ("template", template)]);
        Assert.Equal(HttpStatusCode.Created, result.Status);
    }

    [Fact]
    public async Task A_template_taking_more_variables_than_the_file_has_is_a_400_naming_template()
    {
        var result = await _app.PostFileAsync(Utf8(Qiscus2), [("template", "3")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("application/problem+json", result.ContentType);
        Assert.Equal("template", result.Text("field"));
        Assert.Equal("The template takes 3 variables but the file has 2 (body_variable1, body_variable2).", result.Text("detail"));
    }

    [Fact]
    public async Task A_template_hint_also_comes_as_a_query_parameter()
    {
        var result = await _app.PostRawAsync(Utf8(Qiscus2), query: "?template=1");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("template", result.Text("field"));
    }

    [Theory]
    [InlineData("{business_name},{name}")]
    [InlineData("name, business_name")]
    [InlineData("[\"{name}\", \"{business_name}\"]")]
    public async Task Named_template_hints_match_the_named_columns_in_any_order(string template)
    {
        var result = await _app.PostFileAsync(Utf8(Named), [("provider", "omnichat"), ("template", template)]);
        Assert.Equal(HttpStatusCode.Created, result.Status);
    }

    [Fact]
    public async Task A_named_variable_without_a_column_is_a_400_naming_it()
    {
        var result = await _app.PostFileAsync(Utf8(Named), [("template", "{business_name},{name},{order_id}")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("template", result.Text("field"));
        Assert.Contains("{order_id}", result.Text("detail"));
    }

    [Fact]
    public async Task A_column_the_named_template_does_not_take_is_a_400_naming_it()
    {
        var result = await _app.PostFileAsync(Utf8(Named), [("template", "business_name")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("template", result.Text("field"));
        Assert.Contains("{name} is not a variable of the template", result.Text("detail"));
    }

    [Fact]
    public async Task Rows_missing_a_variable_the_template_calls_for_are_row_errors()
    {
        var csv = "phone,{business_name},{name}\n6281200000001,My Store,Budi\n6281200000002,My Store,\n";
        var result = await _app.PostFileAsync(Utf8(csv), [("template", "{business_name},{name}")]);

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal([(3, "{name}", "is empty")], result.Errors);
    }

    [Theory]
    [InlineData("qiscus", Named, "Qiscus templates take positional variables")]
    [InlineData("omnichat", Qiscus2, "Omnichat templates take named variables")]
    public async Task A_file_the_provider_cannot_send_is_a_400_naming_provider(string provider, string csv, string detail)
    {
        var result = await _app.PostFileAsync(Utf8(csv), [("provider", provider)]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("provider", result.Text("field"));
        Assert.Contains(detail, result.Text("detail"));
    }

    [Theory]
    [InlineData("provider", "whatsapp")]
    [InlineData("template", "two")]
    [InlineData("template", "[1, 2]")]
    [InlineData("template", "{a},,{b}")]
    [InlineData("separator", "|")]
    [InlineData("separator", "\\t")]
    public async Task Bad_hint_values_are_a_400_naming_the_field_and_nothing_is_kept(string field, string value)
    {
        var before = await _app.StoredAsync();
        var result = await _app.PostFileAsync(Utf8(Qiscus2), [(field, value)]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(field, result.Text("field"));
        Assert.Equal(before, await _app.StoredAsync(), StoredEquality.Instance);
    }

    [Fact]
    public async Task A_hint_sent_after_the_file_is_a_400_and_nothing_is_kept()
    {
        var before = await _app.StoredAsync();
        var result = await _app.PostFileAsync(Utf8(Qiscus2), fieldsAfter: [("separator", ";")]);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("separator", result.Text("field"));
        Assert.Contains("before 'file'", result.Text("detail"));
        Assert.Equal(before, await _app.StoredAsync(), StoredEquality.Instance);
    }

    [Fact]
    public async Task Omnichat_takes_the_headers_of_a_simple_layout_as_variable_names()
    {
        var result = await _app.PostFileAsync(Utf8("phone,name,business_name\n6281200000001,Budi,My Store\n"),
            [("provider", "omnichat"), ("template", "{business_name}")]);

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(["business_name"], result.Strings("variable_names"));
    }

    [Fact]
    public async Task Other_form_fields_are_ignored()
    {
        var result = await _app.PostFileAsync(Utf8(Qiscus2), [("template_detail_id", "172")], [("note", "x")]);
        Assert.Equal(HttpStatusCode.Created, result.Status);
    }
}

public sealed class StoredEquality : IEqualityComparer<(List<string> Blobs, int Summaries)>
{
    public static readonly StoredEquality Instance = new();

    public bool Equals((List<string> Blobs, int Summaries) x, (List<string> Blobs, int Summaries) y) =>
        x.Summaries == y.Summaries && x.Blobs.Order().SequenceEqual(y.Blobs.Order());

    public int GetHashCode((List<string> Blobs, int Summaries) obj) => obj.Summaries;
}
