namespace Broadcast.Core.Messaging;

/// <summary>Settings section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    /// <summary>Country calling code given to local numbers such as 0812...</summary>
    public string DefaultCountryCode { get; set; } = "62";

    /// <summary>The IANA time zone a started_at or expires_at without an offset is read in, unless a broadcast gives
    /// its own time_zone.</summary>
    public string TimeZone { get; set; } = Campaigns.TimeZones.Default;

    /// <summary>Attempts per send, the first included, for transient failures (timeout, connection, 408, 429, 5xx).</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
