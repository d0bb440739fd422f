namespace Broadcast.Core.Storage;

/// <summary>Thrown when storage does not answer, times out or says it is busy or down: the request may succeed later.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A write was under way when storage stopped answering: it may still land.</summary>
    public bool MayHaveWritten { get; init; }
}
