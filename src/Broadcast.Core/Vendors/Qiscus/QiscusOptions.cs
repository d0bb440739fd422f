namespace Broadcast.Core.Vendors.Qiscus;

/// <summary>Settings section <c>Vendors:Qiscus</c>.</summary>
public sealed class QiscusOptions : VendorOptions
{
    public string? AppId { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>Default WhatsApp channel id.</summary>
    public long? ChannelId { get; set; }

    /// <summary>The captured document does not show the bulk calls' paths, so they are settings.</summary>
    public string UploadCsvPath { get; set; } = "/api/v3/admin/broadcast/upload_csv";
    public string SendBroadcastPath { get; set; } = "/api/v3/admin/broadcast/send_broadcast";
    public string SendMessagePath { get; set; } = "/api/v3/admin/broadcast/client";

    public override bool IsConfigured => !MissingSettings.Any();

    public override IEnumerable<string> MissingSettings =>
        Missing(("Vendors__Qiscus__BaseUrl", BaseUrl), ("Vendors__Qiscus__AppId", AppId), ("Vendors__Qiscus__SecretKey", SecretKey), ("Vendors__Qiscus__ChannelId", ChannelId));

    public override IEnumerable<string?> Secrets => [SecretKey];
}
