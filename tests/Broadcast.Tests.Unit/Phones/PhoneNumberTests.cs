using Broadcast.Core.Phones;

namespace Broadcast.Tests.Unit.Phones;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("6281290641111", "6281290641111")]
    [InlineData("+62 812-9064-1111", "6281290641111")]
    [InlineData("081290641111", "6281290641111")]
    [InlineData("0062 812 9064 1111", "6281290641111")]
    [InlineData("+62 0812 9064 1111", "6281290641111")]
    [InlineData("(021) 555-1234", "62215551234")]
    [InlineData("+1 (234) 567-8901", "12345678901")]
    [InlineData(" +447911123456 ", "447911123456")]
    public void Normalises_to_international_digits(string typed, string expected)
    {
        Assert.True(PhoneNumbers.TryNormalize(typed, "62", out var digits, out var error), error);
        Assert.Equal(expected, digits);
    }

    [Theory]
    [InlineData("")]
    [InlineData("08x")]
    [InlineData("12345")]
    [InlineData("+1234567890123456")]
    [InlineData("62812abc")]
    [InlineData("++6281290641111")]
    public void Rejects_what_is_not_a_phone_number(string typed)
    {
        Assert.False(PhoneNumbers.TryNormalize(typed, "62", out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("12345678", "'12345678' is not a valid number for country code +1")] // 8 digits are not a North American number
    [InlineData("+44 7700 900123", "'+44 7700 900123' is not a valid number for country code +44")] // Ofcom's range for drama, never a line
    [InlineData("+62 812", "'+62 812' is not a valid number for country code +62")]
    public void Rejects_a_number_its_country_does_not_have_naming_the_country_code(string typed, string expected)
    {
        Assert.False(PhoneNumbers.TryNormalize(typed, "62", out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Local_numbers_take_the_configured_country_code()
    {
        Assert.True(PhoneNumbers.TryNormalize("07911 123456", "44", out var digits, out _));
        Assert.Equal("447911123456", digits);
    }

    [Theory]
    [InlineData("(021) 555-1234", true)]      // a Jakarta landline
    [InlineData("0812-9064-1111", false)]     // an Indonesian mobile
    [InlineData("+1 234 567 8901", false)]    // North America: the plan cannot tell, so it is not marked
    public void Says_which_numbers_are_landlines(string typed, bool landline)
    {
        Assert.True(PhoneNumbers.TryNormalize(typed, "62", out _, out var isLandline, out var error), error);
        Assert.Equal(landline, isLandline);
    }
}
