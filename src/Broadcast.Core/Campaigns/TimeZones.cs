using System.Collections.Concurrent;

namespace Broadcast.Core.Campaigns;

/// <summary>IANA time zones (Asia/Jakarta, Asia/Makassar, Asia/Jayapura, ...) and local times read in them.</summary>
public static class TimeZones
{
    public const string Default = "Asia/Jakarta";

    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Found = new(StringComparer.Ordinal);

    /// <summary>The zone with this IANA id, or null when there is none.</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return null;
        return Found.GetOrAdd(id.Trim(), static key =>
        {
            try
            {
                var zone = TimeZoneInfo.FindSystemTimeZoneById(key);
                // Only IANA names (a Windows name would resolve too where ICU maps it): one spelling per zone.
                return key.Contains('/') || key is "UTC" or "Etc/UTC" ? zone : null;
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return null;
            }
        });
    }

    /// <summary>The zone of a broadcast stored with <paramref name="id"/> (older ones have none: the default).</summary>
    public static TimeZoneInfo Of(string? id) => Find(id) ?? Find(Default) ?? TimeZoneInfo.Utc;

    /// <summary>A wall-clock time in <paramref name="zone"/> as an instant. A time skipped by a daylight-saving change
    /// is read with the offset before the change (Indonesia has none).</summary>
    public static DateTimeOffset AtLocal(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(unspecified) ? zone.GetUtcOffset(unspecified.AddHours(-3)) : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }

    /// <summary>An instant as the zone's clock shows it, with the zone's offset.</summary>
    public static DateTimeOffset InZone(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone);
}
