using System.Net;
using Broadcast.Core.Campaigns;

namespace Broadcast.Tests.Unit.Campaigns;

/// <summary>The pure parts of the campaign controls: local times, delivery windows, webhook addresses and signatures (the speed cap: SpeedCapTests).</summary>
public sealed class CampaignControlTests
{
    private static readonly TimeZoneInfo Jakarta = TimeZones.Find("Asia/Jakarta")!;
    private static readonly TimeZoneInfo Makassar = TimeZones.Find("Asia/Makassar")!;

    [Fact]
    public void A_wall_clock_time_is_read_in_the_zone()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T02:00:00Z"), TimeZones.AtLocal(new DateTime(2026, 12, 1, 9, 0, 0), Jakarta));
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T01:00:00Z"), TimeZones.AtLocal(new DateTime(2026, 12, 1, 9, 0, 0), Makassar));
        Assert.Null(TimeZones.Find("Mars/Olympus"));
        Assert.Null(TimeZones.Find(""));
    }

    private static readonly DeliveryWindow Weekdays = new(new TimeOnly(8, 0), new TimeOnly(20, 0),
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday]);

    private static DateTimeOffset Wib(string local) => TimeZones.AtLocal(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), Jakarta);

    [Fact]
    public void A_window_is_open_inside_its_hours_on_its_days_and_names_the_next_opening_otherwise()
    {
        Assert.True(Weekdays.IsOpen(Wib("2026-12-07T08:00:00"), Jakarta)); // Monday 08:00
        Assert.False(Weekdays.IsOpen(Wib("2026-12-07T20:00:00"), Jakarta)); // "to" is excluded
        Assert.Equal(Wib("2026-12-08T08:00:00"), Weekdays.ClosedUntil(Wib("2026-12-07T23:00:00"), Jakarta));
        // Saturday night: Sunday is not a day of it, so Monday 08:00.
        Assert.Equal(Wib("2026-12-14T08:00:00"), Weekdays.ClosedUntil(Wib("2026-12-12T21:00:00"), Jakarta));
        Assert.Null(Weekdays.ClosedUntil(Wib("2026-12-09T12:00:00"), Jakarta));
    }

    [Fact]
    public void A_window_across_midnight_belongs_to_the_day_it_opens()
    {
        var nights = new DeliveryWindow(new TimeOnly(22, 0), new TimeOnly(6, 0), [DayOfWeek.Friday]);
        Assert.True(nights.CrossesMidnight);
        Assert.True(nights.IsOpen(Wib("2026-12-11T23:30:00"), Jakarta));  // Friday night
        Assert.True(nights.IsOpen(Wib("2026-12-12T05:59:00"), Jakarta));  // Saturday early: Friday's window
        Assert.False(nights.IsOpen(Wib("2026-12-12T06:00:00"), Jakarta));
        Assert.False(nights.IsOpen(Wib("2026-12-11T05:00:00"), Jakarta)); // Friday early: Thursday's, not a day of it
        Assert.Equal(Wib("2026-12-11T22:00:00"), nights.ClosedUntil(Wib("2026-12-11T12:00:00"), Jakarta));
        Assert.Equal(Wib("2026-12-18T22:00:00"), nights.ClosedUntil(Wib("2026-12-12T07:00:00"), Jakarta));
    }

    [Theory]
    [InlineData("https://example.com/done", false, true)]
    [InlineData("http://example.com/done", false, false)]
    [InlineData("https://169.254.169.254/latest/meta-data", false, false)]
    [InlineData("https://10.0.0.1/hook", false, false)]
    [InlineData("https://192.168.1.5/hook", false, false)]
    [InlineData("https://[::1]/hook", false, false)]
    [InlineData("https://[fe80::1]/hook", false, false)]
    [InlineData("http://127.0.0.1:5000/hook", false, false)]
    [InlineData("http://127.0.0.1:5000/hook", true, true)]
    [InlineData("http://localhost:5000/hook", true, true)]
    [InlineData("https://localhost./hook", false, false)]
    [InlineData("https://api.localhost/hook", false, false)]
    [InlineData("https://10.0.0.1/hook", true, false)]
    [InlineData("https://user:pw@example.com/hook", false, false)]
    [InlineData("ftp://example.com/hook", false, false)]
    public void A_notify_url_is_https_to_a_public_address_and_loopback_only_when_allowed(string url, bool allowLoopback, bool allowed) =>
        Assert.Equal(allowed, WebhookAddress.Check(url, allowLoopback) is null);

    [Theory]
    [InlineData("100.64.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fd00::1")]
    [InlineData("224.0.0.1")]
    public void Resolved_private_addresses_are_never_connected_to(string address) =>
        Assert.True(WebhookAddress.IsForbidden(IPAddress.Parse(address), allowLoopback: true));

    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_the_body()
    {
        var body = "{\"id\":\"b1\"}"u8.ToArray();
        var expected = "sha256=" + Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData("s3cret"u8.ToArray(), body)).ToLowerInvariant();
        Assert.Equal(expected, CompletionWebhook.Signature(body, "s3cret"));
    }
}
