namespace Broadcast.Sandbox.Qiscus;

// Response shapes as documented; property order follows the vendor samples.

internal sealed record QiscusError(QiscusErrorMessage Errors, int Status);

internal sealed record QiscusErrorMessage(string Message);

internal sealed record QiscusClientResponse(QiscusClientData Data, int Status);

internal sealed record QiscusClientData(
    long BroadcastJobId,
    IReadOnlyList<QiscusBroadcastLog> BroadcastLogs,
    string Language,
    string Name,
    string Namespace);

internal sealed record QiscusBroadcastLog(
    long Id,
    string? MessageId,
    string? Notes,
    string PhoneNumber,
    string SentAt,
    string Status,
    string Variables);

internal sealed record QiscusUploadResponse(long BroadcastFileId, QiscusBalance CurrentBalance, QiscusEstimation EstimationCharge);

internal sealed record QiscusBalance(string Credits, int FreeSession, int Quota);

internal sealed record QiscusEstimation(int Credit, int FreeSession, int Quota);

internal sealed record QiscusSendResponse(QiscusSendData Data, int Status);

internal sealed record QiscusSendData(QiscusBroadcastJob BroadcastJob);

internal sealed record QiscusBroadcastJob(
    string? CanceledAt,
    string? CanceledBy,
    int ChannelId,
    string ChannelName,
    string CreatedAt,
    long Id,
    string Language,
    string Name,
    string StartedAt,
    int Status,
    long TemplateDetailId,
    int TemplateId,
    string TemplateName,
    int? TotalFailed,
    int? TotalRead,
    int? TotalReceived,
    int TotalRecipient,
    int? TotalSent,
    QiscusUser User);

internal sealed record QiscusUser(string Name);

/// <summary>A validated single-message request.</summary>
internal sealed record QiscusClientRequest(
    string TemplateName,
    string Namespace,
    string Language,
    IReadOnlyList<string> Variables,
    string PhoneNumber,
    DateTimeOffset? StartedAt);

/// <summary>A validated send-broadcast request.</summary>
internal sealed record QiscusSendRequest(long TemplateDetailId, long BroadcastFileId, string Name, char Separator, DateTimeOffset? StartedAt);
