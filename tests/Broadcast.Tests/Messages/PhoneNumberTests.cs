using Broadcast.Core.Phones;

namespace Broadcast.Tests.Messages;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("6281290641111", "6281290641111")]
    [InlineData("+62 812-9064-1111", "6281290641111")]
    [InlineData("081290641111", "6281290641111")]
    [InlineData("0062 812 9064 1111", "6281290641111")]
    [InlineData("(021) 555-1234", "62215551234")]
    [InlineData("+1 (234) 567-8901", "12345678901")]
    [InlineData(" +447700900123 ", "447700900123")]
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

    [Fact]
    public void Local_numbers_take_the_configured_country_code()
    {
        Assert.True(PhoneNumbers.TryNormalize("07700 900123", "44", out var digits, out _));
        Assert.Equal("447700900123", digits);
    }
}
