namespace Broadcast.Core.Campaigns;

/// <summary>How a broadcast is run beyond what it sends: its time zone, delivery window, expiry, speed cap and the
/// URL told when it finishes. All optional but the zone (the broadcast's, or Messaging__TimeZone).</summary>
public sealed record CampaignControls(
    string TimeZone,
    DeliveryWindow? Window = null,
    DateTimeOffset? ExpiresAt = null,
    int? MaxPerMinute = null,
    string? NotifyUrl = null,
    string? ResendOf = null)
{
    public static CampaignControls Default(string? timeZone = null) => new(timeZone ?? TimeZones.Default);

    public const int MaxPerMinuteLimit = 1_000_000;
}
