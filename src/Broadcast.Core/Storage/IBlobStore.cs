namespace Broadcast.Core.Storage;

/// <summary>Block blobs: streamed in and out, read by range, listed by prefix.</summary>
public interface IBlobStore
{
    /// <summary>Creates the container unless it exists.</summary>
    Task EnsureContainerAsync(string container, CancellationToken ct);

    /// <summary>A write stream that uploads blocks as it fills; the blob exists once the stream is disposed.</summary>
    Task<Stream> OpenWriteAsync(string container, string name, string contentType, CancellationToken ct);

    Task UploadAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct,
        IReadOnlyDictionary<string, string>? metadata = null);

    /// <summary>A read stream over the blob, or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct);

    Task<byte[]?> ReadAllAsync(string container, string name, CancellationToken ct);

    Task<byte[]> ReadRangeAsync(string container, string name, long offset, int length, CancellationToken ct);

    Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct);

    Task SetMetadataAsync(string container, string name, IReadOnlyDictionary<string, string> metadata, CancellationToken ct);

    IAsyncEnumerable<BlobInfo> ListAsync(string container, string? prefix, CancellationToken ct);

    Task DeleteAsync(string container, string name, CancellationToken ct);
}
