using System.Globalization;
using System.Text.RegularExpressions;
using Broadcast.Core.Campaigns;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>The campaign controls of a request (<c>time_zone</c>, <c>started_at</c>, <c>window</c>, <c>expires_at</c>,
/// <c>max_per_minute</c>, <c>notify_url</c>) as the core's, naming the field of anything wrong. A time without an
/// offset is read in the broadcast's time zone (its <c>time_zone</c>, or Messaging__TimeZone).</summary>
internal static partial class CampaignMapping
{
    public const string Example = "2026-12-01T09:00:00+07:00";

    public static (DateTimeOffset? StartedAt, CampaignControls Controls) Map(CampaignControlsRequest request, string defaultTimeZone)
    {
        var zoneId = Zone(request.TimeZone, defaultTimeZone);
        var zone = TimeZones.Find(zoneId)!;
        if (request.MaxPerMinute is < 1 or > CampaignControls.MaxPerMinuteLimit)
            throw new IntakeException("max_per_minute", $"max_per_minute is a whole number from 1 to {CampaignControls.MaxPerMinuteLimit:N0}.");
        if (request.NotifyUrl is { } notifyUrl && string.IsNullOrWhiteSpace(notifyUrl)) throw new IntakeException("notify_url", "notify_url is an https URL, or left out.");
        return (Time(request.StartedAt, "started_at", zone, zoneId), new CampaignControls(zoneId, Window(request.Window),
            Time(request.ExpiresAt, "expires_at", zone, zoneId), request.MaxPerMinute, request.NotifyUrl?.Trim()));
    }

    /// <summary>A resend's body (or none) as the core's request; its times are read in the original's time zone.</summary>
    public static ResendRequest Resend(ResendBroadcastRequest? request, BroadcastDefinition original)
    {
        var zoneId = original.Run.TimeZone;
        var zone = original.Zone;
        IReadOnlySet<string> statuses = BroadcastResend.DefaultStatuses;
        if (request?.Statuses is { } asked)
        {
            if (asked.Count is 0 or > 16) throw new IntakeException("statuses", $"statuses names one or more of {string.Join(", ", BroadcastResend.Resendable)}.");
            statuses = asked.Select((s, i) => s?.Trim().ToLowerInvariant() is { } word && BroadcastResend.Resendable.Contains(word) ? word
                : throw new IntakeException($"statuses[{i}]", $"A status to resend is one of {string.Join(", ", BroadcastResend.Resendable)}.")).ToHashSet(StringComparer.Ordinal);
        }
        return new ResendRequest(statuses, Time(request?.StartedAt, "started_at", zone, zoneId), Window(request?.Window),
            Time(request?.ExpiresAt, "expires_at", zone, zoneId));
    }

    /// <summary>The broadcast's IANA zone id, as the zone spells it.</summary>
    public static string Zone(string? timeZone, string defaultTimeZone)
    {
        if (timeZone is null)
            return TimeZones.Find(defaultTimeZone) is null
                ? throw new IntakeException("time_zone", $"Messaging__TimeZone '{defaultTimeZone}' is not an IANA time zone; give time_zone.", Broadcast.Core.Refusal.Unprocessable)
                : defaultTimeZone.Trim();
        return TimeZones.Find(timeZone) is null
            ? throw new IntakeException("time_zone", "time_zone is an IANA time zone, such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura.")
            : timeZone.Trim();
    }

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)(?<offset>[Zz]|[+-]\d{2}:\d{2})?$")]
    private static partial Regex IsoTime();

    /// <summary>An ISO 8601 date and time; without an offset, a wall-clock time in <paramref name="zone"/>.</summary>
    public static DateTimeOffset? Time(string? raw, string field, TimeZoneInfo zone, string zoneId)
    {
        if (raw is null) return null;
        var match = IsoTime().Match(raw.Trim());
        var local = match.Groups["local"].Value.Replace(' ', 'T').Replace('t', 'T');
        if (match.Success && match.Groups["offset"].Success
            && DateTimeOffset.TryParse(local + match.Groups["offset"].Value.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var given))
            return given;
        if (match.Success && !match.Groups["offset"].Success
            && DateTime.TryParse(local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wallClock))
            return TimeZones.AtLocal(wallClock, zone);
        throw new IntakeException(field, $"{field} is an ISO 8601 date and time with its offset, such as {Example}; without an offset "
            + $"(2026-12-01T09:00:00) it is read in the broadcast's time zone, {zoneId}.");
    }

    public static DeliveryWindow? Window(WindowRequest? window)
    {
        if (window is null) return null;
        var from = Clock(window.From, "window.from");
        var to = Clock(window.To, "window.to");
        if (from == to) throw new IntakeException("window.to", "window.to differs from window.from (a window across midnight: from 22:00 to 06:00).");
        IReadOnlyList<DayOfWeek> days = DeliveryWindow.EveryDay;
        if (window.Days is { } names)
        {
            if (names.Count == 0) throw new IntakeException("window.days", "window.days names at least one day: mon, tue, wed, thu, fri, sat, sun.");
            if (names.Count > 7 * 4) throw new IntakeException("window.days", "window.days names each day once.");
            days = names.Select((n, i) => n is not null && DeliveryWindow.DayNames.TryGetValue(n.Trim().ToLowerInvariant(), out var d) ? d
                : throw new IntakeException($"window.days[{i}]", "A day is one of mon, tue, wed, thu, fri, sat, sun.")).Distinct().Order().ToList();
        }
        return new DeliveryWindow(from, to, days);
    }

    private static TimeOnly Clock(string? value, string field) =>
        value is not null && TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t
            : throw new IntakeException(field, $"{field} is a local time, HH:mm, such as 08:00.");
}
