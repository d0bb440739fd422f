namespace Broadcast.Core.Campaigns;

/// <summary>Settings section <c>Notifications</c>: the completion webhook (a broadcast's <c>notify_url</c>).</summary>
public sealed class NotificationOptions
{
    /// <summary>The key of the <c>x-broadcast-signature</c> HMAC-SHA256; a notify_url is refused while it is unset.
    /// Never logged, traced or answered.</summary>
    public string? Secret { get; set; }

    /// <summary>Let notify_url reach loopback addresses (and plain http to them): a receiver on this machine. Always
    /// on in the Development environment.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>The first wait before a failed delivery is tried again; it doubles up to an hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a delivery is retried until the receiver answers 2xx.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>One delivery's time limit.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
