namespace Broadcast.Core.Uploads;

/// <summary>Settings section <c>Uploads</c>.</summary>
public sealed class UploadOptions
{
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;
    public long MaxRows { get; set; } = 1_000_000;
}
