using System.Text.RegularExpressions;

namespace Broadcast.Sandbox.Qiscus;

internal static partial class QiscusPhone
{
    /// <summary>E.164 without '+': country code first, so no leading 0; at most 15 digits.</summary>
    public static bool IsValid(string phone) => Pattern().IsMatch(phone);

    [GeneratedRegex(@"^[1-9][0-9]{7,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
