namespace Broadcast.Core.Storage;

public sealed record BlobInfo(string Name, long Length, string ETag, DateTimeOffset? LastModified, IReadOnlyDictionary<string, string> Metadata);
