namespace Broadcast.Core.Uploads;

public sealed record UploadError(long Row, string? Column, string Error);
