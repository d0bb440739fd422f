namespace Broadcast.Core.Uploads;

/// <summary>An upload refused outright: nothing of it is kept. The HTTP layer answers <see cref="StatusCode"/> as
/// problem+json naming the <see cref="Field"/> (a request field) and, for the file's header, the row and column.</summary>
public sealed class UploadRejectedException(int statusCode, string title, string detail, string? field = null, long? row = null, string? column = null)
    : Exception(detail)
{
    public int StatusCode { get; } = statusCode;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public string? Field { get; } = field;
    public long? Row { get; } = row;
    public string? Column { get; } = column;

    public static UploadRejectedException BadFile(string detail, long? row = null, string? column = null) =>
        new(400, "Unusable file", detail, "file", row, column);

    public static UploadRejectedException BadField(string field, string detail) =>
        new(400, "Invalid request", detail, field);

    public static UploadRejectedException NotText(string detail) =>
        new(415, "Not a UTF-8 text file", detail, "file");

    public static UploadRejectedException TooLarge(string detail) =>
        new(413, "File too large", detail, "file");

    public static UploadRejectedException OverMaxBytes(long maxBytes) =>
        TooLarge($"The file is larger than {Size(maxBytes)} (setting Uploads__MaxBytes).");

    private static string Size(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes:N0} bytes");
}
