using System.Net;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Uploads;

public sealed class SampleFileTests(UploadAppFixture fixture) : IClassFixture<UploadAppFixture>
{
    private readonly TestApp _app = fixture.App;

    [Fact]
    public async Task Qiscus_template_keeps_variables_header_and_buttons_and_a_quoted_comma()
    {
        var result = await _app.PostFileAsync(await File.ReadAllBytesAsync(RepoPaths.Sample("qiscus-template.csv")));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal($"/api/uploads/{result.Id}", result.Location?.OriginalString);
        Assert.Equal("qiscus_template", result.Text("layout"));
        Assert.Equal(",", result.Text("separator"));
        Assert.Equal(["phone_number", "customer_name", "header_variable", "body_variable1", "body_variable2", "button_type", "button1_variable1"],
            result.Strings("columns"));
        Assert.Equal(["body_variable1", "body_variable2"], result.Strings("variable_names"));
        Assert.Equal((3, 3, 0, 0), (result.Count("total_rows"), result.Count("valid_recipients"), result.Count("invalid_rows"), result.Count("duplicates_removed")));
        Assert.Empty(result.Errors);

        var recipients = await _app.RecipientsAsync(result.Id);
        Assert.Equal(["6281527975868", "6281290641111", "628111222333"], recipients.Select(r => r.Phone));
        Assert.Equal([2, 3, 4], recipients.Select(r => r.Row));
        var siti = recipients[2];
        Assert.Equal("Siti, Aminah", siti.Name);
        Assert.Equal(["Rp. 1.250.000", "12 Maret 2022"], siti.Variables);
        Assert.Null(siti.HeaderVariable);
        Assert.Equal("call_to_action", siti.ButtonType);
        Assert.Equal("inv-3", Assert.Single(Assert.Single(siti.ButtonVariables!)));
    }

    [Fact]
    public async Task Qiscus_template_with_semicolons_is_detected_and_normalises_a_local_number()
    {
        var result = await _app.PostFileAsync(await File.ReadAllBytesAsync(RepoPaths.Sample("qiscus-template-semicolon.csv")));

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal(";", result.Text("separator"));
        Assert.Equal("qiscus_template", result.Text("layout"));
        var recipients = await _app.RecipientsAsync(result.Id);
        Assert.Equal(["6281527975868", "6281290641111"], recipients.Select(r => r.Phone));
        Assert.Equal(["Rp. 125,500", "11 Maret 2022"], recipients[1].Variables);
        Assert.Null(recipients[1].ButtonVariables);
    }

    [Fact]
    public async Task Omnichat_named_variables_keep_their_names_apart_from_the_name_column()
    {
        var result = await _app.PostFileAsync(await File.ReadAllBytesAsync(RepoPaths.Sample("omnichat-named.csv")), [("provider", "omnichat")]);

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal("named_variables", result.Text("layout"));
        Assert.Equal(["{business_name}", "{name}"], result.Strings("variable_names"));
        var recipients = await _app.RecipientsAsync(result.Id);
        Assert.Equal(["6281290641111", "6281290642222"], recipients.Select(r => r.Phone));
        Assert.Equal("Ani", recipients[1].Name);
        Assert.Equal(["My Store", "Ani"], recipients[1].Variables);
    }

    [Fact]
    public async Task Khoros_audience_is_a_simple_layout_of_international_numbers()
    {
        var result = await _app.PostFileAsync(await File.ReadAllBytesAsync(RepoPaths.Sample("khoros-audience.csv")), [("provider", "khoros"), ("template", "0")]);

        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal("simple", result.Text("layout"));
        Assert.Empty(result.Strings("variable_names"));
        var recipients = await _app.RecipientsAsync(result.Id);
        Assert.Equal(["12345678901", "447911123456"], recipients.Select(r => r.Phone));
        Assert.Equal(["John Doe", "Jane Roe"], recipients.Select(r => r.Name));
    }

    [Theory]
    [InlineData("qiscus-template.csv")]
    [InlineData("qiscus-template-semicolon.csv")]
    [InlineData("omnichat-named.csv")]
    [InlineData("khoros-audience.csv")]
    public async Task The_stored_original_is_byte_identical_and_GET_answers_the_same_summary(string sample)
    {
        var bytes = await File.ReadAllBytesAsync(RepoPaths.Sample(sample));
        var posted = await _app.PostFileAsync(bytes);
        Assert.Equal(HttpStatusCode.Created, posted.Status);

        Assert.Equal(bytes, await _app.OriginalAsync(posted.Id));
        var got = await _app.GetAsync($"api/uploads/{posted.Id}");
        Assert.Equal(HttpStatusCode.OK, got.Status);
        foreach (var field in new[] { "upload_id", "layout", "separator", "columns", "total_rows", "valid_recipients", "invalid_rows", "duplicates_removed", "errors", "variable_names", "usable" })
            Assert.Equal(posted.Body.GetProperty(field).GetRawText(), got.Body.GetProperty(field).GetRawText());
    }
}
