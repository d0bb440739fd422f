namespace Broadcast.Sandbox;

/// <summary>
/// One request a vendor endpoint received. For multipart requests <see cref="Body"/> is a JSON object
/// <c>{"fields": {...}, "files": {"file": "&lt;text&gt;"}}</c>.
/// </summary>
public sealed record RecordedRequest(
    long Seq,
    string Vendor,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    string Body,
    DateTimeOffset ReceivedAt,
    int StatusCode);
