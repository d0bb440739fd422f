using Broadcast.Core.Uploads;

namespace Broadcast.Tests.Unit.Uploads;

/// <summary>The sample files of samples/ (the README's quick start uploads them), read as each vendor's layout.</summary>
public sealed class SampleFileTests : IAsyncDisposable
{
    private readonly UploadHarness _uploads = new();

    public ValueTask DisposeAsync() => _uploads.DisposeAsync();

    /// <summary>A file of samples/, embedded in this assembly by the project file.</summary>
    public static byte[] Sample(string name)
    {
        using var stream = typeof(SampleFileTests).Assembly.GetManifestResourceStream($"samples/{name}")
            ?? throw new InvalidOperationException($"samples/{name} is not embedded in the test assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Qiscus_template_keeps_variables_header_and_buttons_and_a_quoted_comma()
    {
        var summary = await _uploads.ImportAsync(Sample("qiscus-template.csv"));

        Assert.Equal("qiscus_template", summary.Layout);
        Assert.Equal(",", summary.Separator);
        Assert.Equal(["phone_number", "customer_name", "header_variable", "body_variable1", "body_variable2", "button_type", "button1_variable1"],
            summary.Columns);
        Assert.Equal(["body_variable1", "body_variable2"], summary.VariableNames);
        Assert.Equal((3, 3, 0, 0), (summary.TotalRows, summary.ValidRecipients, summary.InvalidRows, summary.DuplicatesRemoved));
        Assert.Empty(summary.Errors);

        var recipients = await _uploads.RecipientsAsync(summary);
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
        var summary = await _uploads.ImportAsync(Sample("qiscus-template-semicolon.csv"));

        Assert.Equal(";", summary.Separator);
        Assert.Equal("qiscus_template", summary.Layout);
        var recipients = await _uploads.RecipientsAsync(summary);
        Assert.Equal(["6281527975868", "6281290641111"], recipients.Select(r => r.Phone));
        Assert.Equal(["Rp. 125,500", "11 Maret 2022"], recipients[1].Variables);
        Assert.Null(recipients[1].ButtonVariables);
    }

    [Fact]
    public async Task Omnichat_named_variables_keep_their_names_apart_from_the_name_column()
    {
        var summary = await _uploads.ImportAsync(Sample("omnichat-named.csv"), UploadRequest.Parse(null, "omnichat", null));

        Assert.Equal("named_variables", summary.Layout);
        Assert.Equal(["{business_name}", "{name}"], summary.VariableNames);
        var recipients = await _uploads.RecipientsAsync(summary);
        Assert.Equal(["6281290641111", "6281290642222"], recipients.Select(r => r.Phone));
        Assert.Equal("Ani", recipients[1].Name);
        Assert.Equal(["My Store", "Ani"], recipients[1].Variables);
    }

    [Fact]
    public async Task Khoros_audience_is_a_simple_layout_of_international_numbers()
    {
        var summary = await _uploads.ImportAsync(Sample("khoros-audience.csv"), UploadRequest.Parse(null, "khoros", "0"));

        Assert.Equal("simple", summary.Layout);
        Assert.Empty(summary.VariableNames);
        var recipients = await _uploads.RecipientsAsync(summary);
        Assert.Equal(["12345678901", "447911123456"], recipients.Select(r => r.Phone));
        Assert.Equal(["John Doe", "Jane Roe"], recipients.Select(r => r.Name));
    }

    [Theory]
    [InlineData("qiscus-template.csv")]
    [InlineData("qiscus-template-semicolon.csv")]
    [InlineData("omnichat-named.csv")]
    [InlineData("khoros-audience.csv")]
    public async Task The_stored_original_is_byte_identical_and_the_catalog_gives_back_the_same_summary(string sample)
    {
        var bytes = Sample(sample);
        var summary = await _uploads.ImportAsync(bytes);

        Assert.Equal(bytes, await _uploads.OriginalAsync(summary.UploadId));
        var stored = await _uploads.Catalog.GetAsync(summary.UploadId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(
            (summary.UploadId, summary.Layout, summary.Separator, summary.TotalRows, summary.ValidRecipients, summary.InvalidRows,
                summary.DuplicatesRemoved, summary.Usable, summary.CreatedAt),
            (stored.UploadId, stored.Layout, stored.Separator, stored.TotalRows, stored.ValidRecipients, stored.InvalidRows,
                stored.DuplicatesRemoved, stored.Usable, stored.CreatedAt));
        Assert.Equal(summary.Columns, stored.Columns);
        Assert.Equal(summary.VariableNames, stored.VariableNames);
        Assert.Equal(summary.Errors, stored.Errors);
    }
}
