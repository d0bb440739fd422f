namespace Broadcast.Core.Storage;

/// <summary>The one door to Azure Storage: tables, blobs and queues, named with the configured prefix.</summary>
public interface IStorage
{
    ITableStore Tables { get; }
    IBlobStore Blobs { get; }
    IWorkQueue Queue(string name);
    Task EnsureCreatedAsync(CancellationToken ct);
    Task<bool> PingAsync(CancellationToken ct);
}

/// <summary>Thrown when an insert finds the row already there (HTTP 409).</summary>
public sealed class StorageConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Thrown when an ETag-conditioned write lost the race (HTTP 412).</summary>
public sealed class StoragePreconditionFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Thrown when storage does not answer, times out or says it is busy or down: the request may succeed later.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A write was under way when storage stopped answering: it may still land.</summary>
    public bool MayHaveWritten { get; init; }
}
