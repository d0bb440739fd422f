namespace Broadcast.Sandbox;

public sealed class QiscusSettings
{
    public const string ClientPath = "/api/v3/admin/broadcast/client";

    public string AppId { get; set; } = "sandbox-qiscus-app";
    public string SecretKey { get; set; } = "sandbox-qiscus-secret";

    // The captured vendor document does not show the bulk URLs, hence settings.
    public string UploadCsvPath { get; set; } = "/api/v3/admin/broadcast/upload_csv";
    public string SendBroadcastPath { get; set; } = "/api/v3/admin/broadcast/send_broadcast";
}
