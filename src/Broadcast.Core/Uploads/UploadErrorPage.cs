namespace Broadcast.Core.Uploads;

public sealed record UploadErrorPage(IReadOnlyList<UploadError> Errors, string? Continuation);
