namespace Broadcast.Core.Vendors.Omnichat;

/// <summary>Settings section <c>Vendors:Omnichat</c>.</summary>
public sealed class OmnichatOptions : VendorOptions
{
    public string? ApiKey { get; set; }

    /// <summary>Default device; required by Omnichat for group sends.</summary>
    public string? DeviceKey { get; set; }

    public override bool IsConfigured => !MissingSettings.Any();

    public override IEnumerable<string> MissingSettings =>
        Missing(("Vendors__Omnichat__BaseUrl", BaseUrl), ("Vendors__Omnichat__ApiKey", ApiKey));

    public override IEnumerable<string?> Secrets => [ApiKey, DeviceKey];
}
