using Broadcast.Core.Messaging;
using Broadcast.Core.Templates;
using Broadcast.Core.Workflow;

namespace Broadcast.Tests.Unit.Templates;

/// <summary>A registered template's variables against what a send gives: order, names with or without braces, counts,
/// the columns an upload lacks, and the preview text.</summary>
public sealed class TemplateUseTests
{
    private static readonly TemplateVariant Qiscus = new(Id: "172", Name: "invoince_update", Namespace: "n", Language: "id", VariableCount: 2);
    private static readonly TemplateVariant Omnichat = new(Id: "510b32e9", VariableNames: ["{name}", "{amount}"]);
    private static readonly TemplateVariant Khoros = new(Text: "Halo {name}");

    private static readonly RegisteredTemplate Invoice = new("invoice_update", "Halo {{1}}, tagihan Anda {{2}}",
        new Dictionary<Provider, TemplateVariant> { [Provider.Qiscus] = Qiscus, [Provider.Omnichat] = Omnichat, [Provider.Khoros] = Khoros },
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Named_values_in_any_order_and_spelling_come_out_in_the_variants_order_under_its_names()
    {
        var (values, names) = TemplateUse.Arrange(Invoice, Omnichat, ["Rp. 30.000", "Budi"], ["AMOUNT", "{name}"], "variables");
        Assert.Equal(["Budi", "Rp. 30.000"], values);
        Assert.Equal(["{name}", "{amount}"], names);
    }

    [Fact]
    public void Positional_values_for_a_named_variant_take_its_names_in_order()
    {
        var (values, names) = TemplateUse.Arrange(Invoice, Omnichat, ["Budi", "Rp. 30.000"], [], "variables");
        Assert.Equal(["Budi", "Rp. 30.000"], values);
        Assert.Equal(["{name}", "{amount}"], names);
    }

    [Theory]
    [InlineData(new[] { "Rp. 30.000" }, new string[0], "takes 2 variables")]
    [InlineData(new[] { "Budi" }, new[] { "{name}" }, "{amount} is missing")]
    [InlineData(new[] { "Budi", "x", "y" }, new[] { "{name}", "{amount}", "{code}" }, "{code} is not one of them")]
    public void Wrong_variables_are_refused_naming_the_field(string[] values, string[] names, string why)
    {
        var variant = names.Length == 0 ? Qiscus : Omnichat;
        var e = Assert.Throws<IntakeException>(() => TemplateUse.Arrange(Invoice, variant, values, names, "recipients[3].variables"));
        Assert.Equal("recipients[3].variables", e.Field);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void A_variant_that_declares_no_variables_takes_what_it_is_given()
    {
        var (values, names) = TemplateUse.Arrange(Invoice, Khoros, ["Budi"], ["{name}"], "variables");
        Assert.Equal(["Budi"], values);
        Assert.Equal(["{name}"], names);
        Assert.Empty(TemplateUse.MissingColumns(Khoros, []));
    }

    [Fact]
    public void An_upload_lacks_the_named_columns_it_does_not_have_and_the_positional_ones_beyond_its_count()
    {
        Assert.Equal(["{amount}"], TemplateUse.MissingColumns(Omnichat, ["name", "{code}"]));
        Assert.Empty(TemplateUse.MissingColumns(Omnichat, ["{Amount}", "{name}"]));
        Assert.Equal(["body_variable2"], TemplateUse.MissingColumns(Qiscus, ["body_variable1"]));
        Assert.Empty(TemplateUse.MissingColumns(Qiscus, ["body_variable1", "body_variable2"]));
    }

    [Fact]
    public void The_preview_fills_positional_and_named_placeholders()
    {
        Assert.Equal("Halo Budi, tagihan Anda Rp. 30.000", TemplateUse.Preview(Invoice.Body!, ["Budi", "Rp. 30.000"], []));
        Assert.Equal("Halo Budi, tagihan Anda Rp. 30.000", TemplateUse.Preview("Halo {name}, tagihan Anda {amount}", ["Budi", "Rp. 30.000"], [], Omnichat));
    }

    [Fact]
    public void A_variants_upload_hint_is_its_count_or_its_bare_names()
    {
        Assert.Equal(2, TemplateUse.Hint(Qiscus)!.VariableCount);
        Assert.Equal(["name", "amount"], TemplateUse.Hint(Omnichat)!.VariableNames);
        Assert.Null(TemplateUse.Hint(Khoros));
    }

    [Theory]
    [InlineData("invoice_update", true)]
    [InlineData("Invoice-2.v1", true)]
    [InlineData("", false)]
    [InlineData("no spaces", false)]
    [InlineData("ünicode", false)]
    public void Names_are_letters_digits_underscore_dash_and_dot(string name, bool valid)
    {
        Assert.Equal(valid, TemplateNames.IsValid(name));
    }

    [Fact]
    public void Names_are_at_most_100_characters_and_keyed_without_regard_to_case()
    {
        Assert.True(TemplateNames.IsValid(new string('a', 100)));
        Assert.False(TemplateNames.IsValid(new string('a', 101)));
        Assert.Equal(TemplateNames.Key("Invoice_Update"), TemplateNames.Key("invoice_UPDATE"));
    }
}
