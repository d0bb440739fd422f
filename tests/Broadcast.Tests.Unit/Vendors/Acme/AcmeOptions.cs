using Broadcast.Core.Vendors;

namespace Broadcast.Tests.Unit.Vendors.Acme;

/// <summary>Settings section <c>Vendors:Acme</c> of the made-up fourth vendor (docs/adding-a-vendor.md, step 2).</summary>
public sealed class AcmeOptions : VendorOptions
{
    public string? ApiKey { get; set; }

    public override bool IsConfigured => !MissingSettings.Any();

    public override IEnumerable<string> MissingSettings =>
        Missing(("Vendors__Acme__BaseUrl", BaseUrl), ("Vendors__Acme__ApiKey", ApiKey));

    public override IEnumerable<string?> Secrets => [ApiKey];
}
