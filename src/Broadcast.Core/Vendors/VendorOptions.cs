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

    /// <summary>True when every setting needed to call the vendor is there.</summary>
    public abstract bool IsConfigured { get; }

    /// <summary>The names of the settings still missing (never their values).</summary>
    public abstract IEnumerable<string> MissingSettings { get; }

    /// <summary>Values that must never appear in logs, responses or stored errors.</summary>
    public abstract IEnumerable<string?> Secrets { get; }

    protected static IEnumerable<string> Missing(params (string Name, object? Value)[] settings) =>
        settings.Where(s => s.Value is null || (s.Value is string str && string.IsNullOrWhiteSpace(str))).Select(s => s.Name);
}
