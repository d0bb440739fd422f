namespace Broadcast.Core.Storage;

/// <summary>Thrown when an ETag-conditioned write lost the race (HTTP 412).</summary>
public sealed class StoragePreconditionFailedException(string message, Exception? inner = null) : Exception(message, inner);
