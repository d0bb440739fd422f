namespace Broadcast.Core.Phones;

/// <summary>Normalises what people type as a phone number into its international digits (E.164 without '+'),
/// and writes it the way each vendor wants it.</summary>
public static class PhoneNumbers
{
    public const int MinDigits = 8;
    public const int MaxDigits = 15;

    /// <summary>Spaces, dashes, dots, slashes and brackets are dropped; a leading '+' or '00' marks the country code;
    /// a leading '0' is a local number and gets <paramref name="defaultCountryCode"/>; anything else is taken to
    /// carry its country code already. The result has 8 to 15 digits.</summary>
    public static bool TryNormalize(string? raw, string defaultCountryCode, out string digits, out string error)
    {
        digits = "";
        var text = raw?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "is empty";
            return false;
        }

        Span<char> buffer = stackalloc char[Math.Min(text.Length, 64)];
        var n = 0;
        var international = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                if (n == buffer.Length) { error = $"'{Shorten(text)}' is not a phone number"; return false; }
                buffer[n++] = c;
            }
            else if (c == '+' && n == 0 && !international) international = true;
            else if (c is ' ' or '-' or '.' or '(' or ')' or '/' or '\u00A0') { }
            else
            {
                error = $"'{Shorten(text)}' is not a phone number";
                return false;
            }
        }

        var number = new string(buffer[..n]);
        if (!international && number.StartsWith("00", StringComparison.Ordinal)) number = number[2..];
        else if (!international && number.StartsWith('0')) number = defaultCountryCode + number[1..];
        // "+62 0812..." : a trunk zero written after the home country code.
        if (number.StartsWith(defaultCountryCode + "0", StringComparison.Ordinal))
            number = defaultCountryCode + number[(defaultCountryCode.Length + 1)..];

        if (number.Length < MinDigits || number.Length > MaxDigits || number[0] == '0')
        {
            error = $"'{Shorten(text)}' is not a phone number";
            return false;
        }

        digits = number;
        error = "";
        return true;
    }

    /// <summary>Khoros Flow: '+' E.164.</summary>
    public static string E164(string normalized) => "+" + normalized;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
