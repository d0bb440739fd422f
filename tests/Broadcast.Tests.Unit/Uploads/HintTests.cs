using Broadcast.Core.Uploads;
using static Broadcast.Tests.Unit.Uploads.UploadHarness;

namespace Broadcast.Tests.Unit.Uploads;

/// <summary>What the user says about the file (the provider and the template it is for) is checked against the
/// file's columns before a row is read; a bad hint names its field and nothing is kept.</summary>
public sealed class HintTests : IAsyncDisposable
{
    private readonly UploadHarness _uploads = new();

    public ValueTask DisposeAsync() => _uploads.DisposeAsync();

    private const string Qiscus2 = "phone_number,customer_name,body_variable1,body_variable2\n6281200000001,Budi,a,b\n";
    private const string Named = "phone,name,{business_name},{name}\n6281200000001,Budi,My Store,Budi\n";

    private static UploadRequest Hints(string? provider = null, string? template = null) => UploadRequest.Parse(null, provider, template);

    [Theory]
    [InlineData("2")]
    [InlineData("{\"variables\": 2}")]
    public async Task A_template_hint_that_matches_the_file_is_accepted(string template)
    {
        var summary = await _uploads.ImportAsync(Qiscus2, Hints("qiscus", template));
        Assert.Equal(1, summary.ValidRecipients);
    }

    [Fact]
    public async Task A_template_taking_more_variables_than_the_file_has_is_a_400_naming_template()
    {
        var refused = await _uploads.RefusedAsync(() => _uploads.ImportAsync(Qiscus2, Hints(template: "3")), 400,
            "The template takes 3 variables but the file has 2 (body_variable1, body_variable2).", "template");
        Assert.Equal("The template takes 3 variables but the file has 2 (body_variable1, body_variable2).", refused.Detail);
    }

    [Theory]
    [InlineData("{business_name},{name}")]
    [InlineData("name, business_name")]
    [InlineData("[\"{name}\", \"{business_name}\"]")]
    public async Task Named_template_hints_match_the_named_columns_in_any_order(string template)
    {
        var summary = await _uploads.ImportAsync(Named, Hints("omnichat", template));
        Assert.Equal(1, summary.ValidRecipients);
    }

    [Fact]
    public async Task A_named_variable_without_a_column_is_a_400_naming_it() =>
        await _uploads.RefusedAsync(() => _uploads.ImportAsync(Named, Hints(template: "{business_name},{name},{order_id}")), 400, "{order_id}", "template");

    [Fact]
    public async Task A_column_the_named_template_does_not_take_is_a_400_naming_it() =>
        await _uploads.RefusedAsync(() => _uploads.ImportAsync(Named, Hints(template: "business_name")), 400,
            "{name} is not a variable of the template", "template");

    [Fact]
    public async Task Rows_missing_a_variable_the_template_calls_for_are_row_errors()
    {
        var summary = await _uploads.ImportAsync("phone,{business_name},{name}\n6281200000001,My Store,Budi\n6281200000002,My Store,\n",
            Hints(template: "{business_name},{name}"));

        Assert.Equal([(3, "{name}", "is empty")], Errors(summary.Errors));
    }

    [Theory]
    [InlineData("qiscus", Named, "Qiscus templates take positional variables")]
    [InlineData("omnichat", Qiscus2, "Omnichat templates take named variables")]
    public async Task A_file_the_provider_cannot_send_is_a_400_naming_provider(string provider, string csv, string detail) =>
        await _uploads.RefusedAsync(() => _uploads.ImportAsync(csv, Hints(provider)), 400, detail, "provider");

    [Theory]
    [InlineData("provider", "whatsapp")]
    [InlineData("template", "two")]
    [InlineData("template", "[1, 2]")]
    [InlineData("template", "{a},,{b}")]
    [InlineData("separator", "|")]
    [InlineData("separator", "\\t")]
    public async Task Bad_hint_values_are_a_400_naming_the_field_and_nothing_is_kept(string field, string value) =>
        await _uploads.RefusedAsync(() => _uploads.PostFormAsync(Utf8(Qiscus2), [(field, value)]), 400, "", field);

    [Fact]
    public async Task A_hint_sent_after_the_file_is_a_400_and_nothing_is_kept() =>
        await _uploads.RefusedAsync(() => _uploads.PostFormAsync(Utf8(Qiscus2), fieldsAfter: [("separator", ";")]), 400, "before 'file'", "separator");

    [Fact]
    public async Task Omnichat_takes_the_headers_of_a_simple_layout_as_variable_names()
    {
        var summary = await _uploads.ImportAsync("phone,name,business_name\n6281200000001,Budi,My Store\n", Hints("omnichat", "{business_name}"));
        Assert.Equal(["business_name"], summary.VariableNames);
    }

    [Fact]
    public async Task A_template_hint_also_comes_as_a_query_parameter() =>
        await _uploads.RefusedAsync(() => _uploads.PostBodyAsync(Utf8(Qiscus2), query: "?template=1"), 400, "The template takes 1 variable", "template");

    [Fact]
    public async Task An_unknown_form_field_is_refused_naming_it()
    {
        var e = await Assert.ThrowsAsync<Broadcast.Functions.Http.UnknownFieldException>(
            () => _uploads.PostFormAsync(Utf8(Qiscus2), [("template_detail_id", "172")], []));
        Assert.Equal("template_detail_id", e.Field);
    }
}
