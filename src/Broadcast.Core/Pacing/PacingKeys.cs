using System.Security.Cryptography;
using System.Text;

namespace Broadcast.Core.Pacing;

/// <summary>Table keys for pacing state. A channel is named by a hash of its key: the key can hold a device key,
/// which must never be stored, and may hold characters a table key cannot.</summary>
public static class PacingKeys
{
    public static string Channel(string channelKey) =>
        "c-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(channelKey)))[..32];

    /// <summary>Recipients of a channel spread over ten partitions by their last digit, so that a busy channel's
    /// per-recipient rows stay far below one partition's 2,000 operations per second.</summary>
    public static string RecipientPartition(string channel, string phone) =>
        $"{channel}-{(phone.Length > 0 && char.IsAsciiDigit(phone[^1]) ? phone[^1] : '_')}";

    /// <summary>A phone as a row key: characters a table key forbids ('/', '\', '#', '?') are replaced.</summary>
    public static string RecipientRow(string prefix, string phone) =>
        prefix + string.Create(phone.Length, phone, (span, p) =>
        {
            for (var i = 0; i < p.Length; i++) span[i] = p[i] is '/' or '\\' or '#' or '?' || char.IsControl(p[i]) ? '_' : p[i];
        });
}
