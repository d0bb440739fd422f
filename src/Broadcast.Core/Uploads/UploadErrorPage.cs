using Broadcast.Core.Storage;

namespace Broadcast.Core.Uploads;

public sealed record UploadErrorPage(IReadOnlyList<UploadError> Errors, string? Continuation);
