namespace Broadcast.Core.Storage;

/// <summary>Thrown when an insert finds the row already there (HTTP 409).</summary>
public sealed class StorageConflictException(string message, Exception? inner = null) : Exception(message, inner);
