using System.Text;
using Broadcast.Core.Workflow;
using Microsoft.AspNetCore.WebUtilities;

namespace Broadcast.Functions.Apis;

/// <summary>The continuation of a table-backed list as the API gives it out: the storage token, base64url-encoded
/// behind a version tag, so a token this API did not give out is a 400 on every list instead of an empty page.</summary>
internal static class PagingToken
{
    private const string Tag = "p1:";

    public static string? Seal(string? storageToken) =>
        storageToken is null ? null : WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(Tag + storageToken));

    public static string? Open(string? continuation)
    {
        if (string.IsNullOrEmpty(continuation)) return null;
        string text;
        try { text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(continuation)); }
        catch (FormatException) { throw Invalid(); }
        return text.StartsWith(Tag, StringComparison.Ordinal) && text.Length > Tag.Length ? text[Tag.Length..] : throw Invalid();
    }

    private static IntakeException Invalid() => new("continuation", "The continuation is not one this list gave out.");
}
