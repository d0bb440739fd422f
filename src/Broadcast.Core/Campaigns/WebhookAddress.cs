using System.Net;
using System.Net.Sockets;

namespace Broadcast.Core.Campaigns;

/// <summary>Where a completion webhook may go: https to a public address. Loopback (and plain http to it) only when
/// allowed (Development, or Notifications__AllowLoopback); private, link-local, shared, multicast and unspecified
/// addresses never. The address is checked again after DNS resolution, on the connection itself.</summary>
public static class WebhookAddress
{
    public const int MaxLength = 2048;

    /// <summary>Null when <paramref name="url"/> may be used; else why not (no secret: the URL is not echoed).</summary>
    public static string? Check(string url, bool allowLoopback)
    {
        if (url.Length > MaxLength) return $"notify_url is at most {MaxLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
            return "notify_url is an absolute https URL, such as https://example.com/broadcast-finished.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "notify_url carries no user name or password; check x-broadcast-signature instead.";
        var host = uri.Host.TrimEnd('.'); // "localhost." is localhost
        var loopbackHost = uri.IsLoopback || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        if (uri.Scheme == "http" && !(allowLoopback && loopbackHost))
            return "notify_url is https (plain http only to a loopback receiver in Development or with Notifications__AllowLoopback=true).";
        if (loopbackHost && !allowLoopback)
            return "notify_url may not point at this machine (loopback) outside Development, unless Notifications__AllowLoopback=true.";
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IsForbidden(address, allowLoopback))
            return "notify_url may not point at a private, loopback or link-local address.";
        return null;
    }

    /// <summary>Addresses a webhook never connects to.</summary>
    public static bool IsForbidden(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return !allowLoopback;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,                         // this network, private, loopback
                100 => b[1] >= 64 && b[1] < 128,                // shared address space (carrier-grade NAT)
                169 => b[1] == 254,                             // link-local (cloud metadata: 169.254.169.254)
                172 => b[1] >= 16 && b[1] < 32,                 // private
                192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99), // private, IETF, TEST-NET-1, 6to4 relay
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100), // benchmarking, TEST-NET-2
                203 => b[1] == 0 && b[2] == 113,                // TEST-NET-3
                >= 224 => true,                                 // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || address.IsIPv6UniqueLocal || address.IsIPv4MappedToIPv6) return true;
            var b = address.GetAddressBytes();
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true; // documentation
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return true; // NAT64: an IPv4 behind it
            if (b[0] == 0x20 && b[1] == 0x02) return true;                                 // 6to4: an IPv4 behind it
            return false;
        }
        return true;
    }
}
