namespace Broadcast.Core.Vendors;

/// <summary>What every vendor account has: where it is, how fast we may call it, and its secrets.</summary>
public abstract class VendorOptions
{
    public string? BaseUrl { get; set; }

    /// <summary>Messages per second per account and channel; WhatsApp tiers start at 80. 0 means unlimited.</summary>
    public double RatePerSecond { get; set; } = 80;

    /// <summary>Calls in flight at once per account and channel.</summary>
    public int MaxConcurrency { get; set; } = 32;

    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>WhatsApp's messaging limit: unique recipients messaged on the channel in any moving
    /// <see cref="DailyRecipientWindow"/> (tiers 250, 2,000, 10,000, 100,000). Unset means unlimited.</summary>
    public int? DailyRecipientLimit { get; set; }

    /// <summary>The moving window of <see cref="DailyRecipientLimit"/>: 24 hours; shorter only to try it out.</summary>
    public TimeSpan DailyRecipientWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>WhatsApp's pair rate: two sends to one number on the channel are at least this far apart (6 s for
    /// marketing traffic). Zero is off.</summary>
    public TimeSpan MinIntervalPerRecipient { get; set; } = TimeSpan.Zero;

    /// <summary>True when every setting needed to call the vendor is there.</summary>
    public abstract bool IsConfigured { get; }

    /// <summary>The names of the settings still missing (never their values).</summary>
    public abstract IEnumerable<string> MissingSettings { get; }

    /// <summary>Values that must never appear in logs, responses or stored errors.</summary>
    public abstract IEnumerable<string?> Secrets { get; }

    /// <summary>Other values this vendor's stored errors must never show (the other vendors' keys, callback secrets,
    /// API keys): a vendor may echo anything it was sent or has seen.</summary>
    public IReadOnlyCollection<string> OtherSecrets { get; private set; } = [];

    public void ScrubAlso(IEnumerable<string?> secrets) => OtherSecrets = secrets.OfType<string>().Where(s => s.Length > 0).Distinct().ToArray();

    protected static IEnumerable<string> Missing(params (string Name, object? Value)[] settings) =>
        settings.Where(s => s.Value is null || (s.Value is string str && string.IsNullOrWhiteSpace(str))).Select(s => s.Name);
}
