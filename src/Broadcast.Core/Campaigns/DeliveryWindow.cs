namespace Broadcast.Core.Campaigns;

/// <summary>When a broadcast may send, in its time zone: from <see cref="From"/> (included) to <see cref="To"/>
/// (excluded) on each of <see cref="Days"/>. A window whose <see cref="To"/> is not after <see cref="From"/> crosses
/// midnight (22:00–06:00): it belongs to the day it opens, so "fri" 22:00–06:00 is open Friday night until Saturday 06:00.</summary>
public sealed record DeliveryWindow(TimeOnly From, TimeOnly To, IReadOnlyList<DayOfWeek> Days)
{
    public static readonly IReadOnlyList<DayOfWeek> EveryDay = Enum.GetValues<DayOfWeek>();

    public bool CrossesMidnight => To <= From;

    public bool IsOpen(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZones.InZone(at, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        if (!CrossesMidnight) return Days.Contains(local.DayOfWeek) && time >= From && time < To;
        return (time >= From && Days.Contains(local.DayOfWeek)) || (time < To && Days.Contains(local.AddDays(-1).DayOfWeek));
    }

    /// <summary>The next moment after <paramref name="at"/> the window opens: the next <see cref="From"/> on one of its days.</summary>
    public DateTimeOffset NextOpening(DateTimeOffset at, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZones.InZone(at, zone).DateTime);
        for (var d = 0; d <= 8; d++)
        {
            var date = today.AddDays(d);
            if (!Days.Contains(date.DayOfWeek)) continue;
            var opening = TimeZones.AtLocal(date.ToDateTime(From), zone);
            if (opening > at) return opening;
        }
        throw new InvalidOperationException("a delivery window has at least one day");
    }

    /// <summary>Null when open at <paramref name="at"/>; else when it opens next.</summary>
    public DateTimeOffset? ClosedUntil(DateTimeOffset at, TimeZoneInfo zone) => IsOpen(at, zone) ? null : NextOpening(at, zone);

    public static readonly IReadOnlyDictionary<string, DayOfWeek> DayNames = new Dictionary<string, DayOfWeek>
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    public static string NameOf(DayOfWeek day) => DayNames.First(d => d.Value == day).Key;
}
