extern alias libphonenumber;
using LibPhoneNumber = libphonenumber::PhoneNumbers.PhoneNumber;
using NumberParseException = libphonenumber::PhoneNumbers.NumberParseException;
using PhoneNumberFormat = libphonenumber::PhoneNumbers.PhoneNumberFormat;
using PhoneNumberType = libphonenumber::PhoneNumbers.PhoneNumberType;
using PhoneNumberUtil = libphonenumber::PhoneNumbers.PhoneNumberUtil;

namespace Broadcast.Core.Phones;

/// <summary>Normalises what people type as a phone number into its international digits (E.164 without '+'),
/// checks it against its country's numbering plan (libphonenumber), and writes it the way each vendor wants it.</summary>
public static class PhoneNumbers
{
    private static readonly PhoneNumberUtil Plans = PhoneNumberUtil.GetInstance();

    // What libphonenumber calls a number that belongs to no country: the region for numbers written with their code.
    private const string UnknownRegion = "ZZ";

    /// <summary>Spaces, dashes, dots, slashes and brackets are dropped; a leading '+' or '00' marks the country code;
    /// a leading '0' is a local number of the country <paramref name="defaultCountryCode"/> calls; anything else is
    /// taken to carry its country code already. The number must be valid for its country.</summary>
    public static bool TryNormalize(string? raw, string defaultCountryCode, out string digits, out string error) =>
        TryNormalize(raw, defaultCountryCode, out digits, out _, out error);

    /// <summary>As <see cref="TryNormalize(string?, string, out string, out string)"/>, and says whether the number is a
    /// landline (a fixed line by its country's plan; WhatsApp can reach one only if it was registered for it). Numbers
    /// whose plan cannot tell fixed from mobile (the US, Canada) are not landlines.</summary>
    public static bool TryNormalize(string? raw, string defaultCountryCode, out string digits, out bool landline, out string error)
    {
        digits = "";
        landline = false;
        var text = raw?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "is empty";
            return false;
        }
        if (!TryDigits(text, out var number, out var international))
        {
            error = NotANumber(text);
            return false;
        }

        if (!international && number.StartsWith("00", StringComparison.Ordinal))
        {
            number = number[2..];
            international = true;
        }
        // "+62 0812..." : a trunk zero written after the home country code.
        if (number.StartsWith(defaultCountryCode + "0", StringComparison.Ordinal))
            number = defaultCountryCode + number[(defaultCountryCode.Length + 1)..];

        var local = !international && number.StartsWith('0');
        LibPhoneNumber parsed;
        try
        {
            parsed = local ? Plans.Parse(number, Region(defaultCountryCode)) : Plans.Parse("+" + number, UnknownRegion);
        }
        catch (NumberParseException)
        {
            error = NotANumber(text);
            return false;
        }
        if (!Plans.IsValidNumber(parsed))
        {
            error = parsed.CountryCode > 0 && Plans.GetRegionCodeForCountryCode(parsed.CountryCode) != UnknownRegion
                ? $"'{Shorten(text)}' is not a valid number for country code +{parsed.CountryCode}"
                : NotANumber(text);
            return false;
        }

        digits = Plans.Format(parsed, PhoneNumberFormat.E164)[1..];
        landline = Plans.GetNumberType(parsed) == PhoneNumberType.FIXED_LINE;
        error = "";
        return true;
    }

    /// <summary>Khoros Flow: '+' E.164.</summary>
    public static string E164(string normalized) => "+" + normalized;

    /// <summary>The digits and whether a '+' led them; false for anything but digits, one leading '+' and separators.</summary>
    private static bool TryDigits(string text, out string number, out bool international)
    {
        number = "";
        international = false;
        // 64 is the field limit of every phone field (FieldLimits.To); longer text is no number anyway.
        Span<char> buffer = stackalloc char[Math.Min(text.Length, 64)];
        var n = 0;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                if (n == buffer.Length) return false;
                buffer[n++] = c;
            }
            else if (c == '+' && n == 0 && !international) international = true;
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '/' or '\u00A0')) return false;
        }
        number = new string(buffer[..n]);
        return n > 0;
    }

    /// <summary>The region whose local numbers a default country code means (62 → ID; 1 → US, whose plan NANP shares).</summary>
    private static string Region(string countryCode) =>
        int.TryParse(countryCode, out var code) ? Plans.GetRegionCodeForCountryCode(code) : UnknownRegion;

    private static string NotANumber(string text) => $"'{Shorten(text)}' is not a phone number";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
