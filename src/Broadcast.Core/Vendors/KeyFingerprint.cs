using System.Security.Cryptography;
using System.Text;

namespace Broadcast.Core.Vendors;

internal static class KeyFingerprint
{
    /// <summary>Tells accounts apart in channel keys without carrying the key itself.</summary>
    public static string Of(string? secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret ?? "")), 0, 6).ToLowerInvariant();
}
