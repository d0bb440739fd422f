namespace Broadcast.Core.Vendors.Khoros;

/// <summary>Settings section <c>Vendors:Khoros</c>.</summary>
public sealed class KhorosOptions : VendorOptions
{
    public string? ApiKey { get; set; }

    /// <summary>Default channel: rbm, messagemedia, telekom, twilio, whatsapp, khoros or messenger.</summary>
    public string? ChannelName { get; set; } = "whatsapp";
    public string? ExternalId { get; set; }

    /// <summary>Recipients per instant-broadcast call in native bulk mode.</summary>
    public int AudienceBatchSize { get; set; } = 100;

    public override bool IsConfigured => !MissingSettings.Any();

    public override IEnumerable<string> MissingSettings =>
        Missing(("Vendors__Khoros__BaseUrl", BaseUrl), ("Vendors__Khoros__ApiKey", ApiKey), ("Vendors__Khoros__ChannelName", ChannelName), ("Vendors__Khoros__ExternalId", ExternalId));

    public override IEnumerable<string?> Secrets => [ApiKey];
}
