namespace Broadcast.Core.Uploads;

/// <summary>An upload refused outright: nothing of it is kept. The HTTP layer answers it as problem+json naming the
/// <see cref="Field"/> (a request field) and, for the file's header, the row and column.</summary>
public sealed class UploadRejectedException(Refusal refusal, string title, string detail, string? field = null, long? row = null, string? column = null)
    : Exception(detail)
{
    public Refusal Refusal { get; } = refusal;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public string? Field { get; } = field;
    public long? Row { get; } = row;
    public string? Column { get; } = column;

    public static UploadRejectedException BadFile(string detail, long? row = null, string? column = null) =>
        new(Refusal.Invalid, "Unusable file", detail, "file", row, column);

    public static UploadRejectedException BadField(string field, string detail) =>
        new(Refusal.Invalid, "Invalid request", detail, field);

    public static UploadRejectedException NotText(string detail) =>
        new(Refusal.UnsupportedContent, "Not a UTF-8 text file", detail, "file");

    public static UploadRejectedException TooLarge(string detail) =>
        new(Refusal.TooLarge, "File too large", detail, "file");

    public static UploadRejectedException OverMaxBytes(long maxBytes) =>
        TooLarge($"The file is larger than {Size(maxBytes)} (setting Uploads__MaxBytes).");

    private static string Size(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes:N0} bytes");
}
