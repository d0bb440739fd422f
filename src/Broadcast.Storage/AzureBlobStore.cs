using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Broadcast.Core.Storage;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;

namespace Broadcast.Storage;

internal sealed class AzureBlobStore(CloudBlobClient client) : IBlobStore
{
    private readonly ConcurrentDictionary<string, CloudBlobContainer> _containers = new();

    private CloudBlobContainer Container(string name) => _containers.GetOrAdd(name, client.GetContainerReference);

    public Task EnsureContainerAsync(string name, CancellationToken ct) =>
        Container(name).CreateIfNotExistsAsync(BlobContainerPublicAccessType.Off, null, null, ct);

    public async Task<Stream> OpenWriteAsync(string container, string name, string contentType, CancellationToken ct)
    {
        var blob = Container(container).GetBlockBlobReference(name);
        blob.Properties.ContentType = contentType;
        blob.StreamWriteSizeInBytes = 4 * 1024 * 1024;
        try
        {
            return await blob.OpenWriteAsync(null, null, null, ct);
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"writing {container}/{name}");
        }
    }

    public async Task UploadAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var blob = Container(container).GetBlockBlobReference(name);
        blob.Properties.ContentType = contentType;
        if (metadata is not null)
            foreach (var (k, v) in metadata) blob.Metadata[k] = v;
        var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? segment : new ArraySegment<byte>(content.ToArray());
        try
        {
            await blob.UploadFromByteArrayAsync(bytes.Array!, bytes.Offset, bytes.Count, null, null, null, ct);
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"uploading {container}/{name}");
        }
    }

    public async Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct)
    {
        var blob = Container(container).GetBlockBlobReference(name);
        try
        {
            return await blob.OpenReadAsync(null, null, null, ct);
        }
        catch (StorageException e) when (e.RequestInformation?.HttpStatusCode == 404)
        {
            return null;
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"reading {container}/{name}");
        }
    }

    public async Task<byte[]?> ReadAllAsync(string container, string name, CancellationToken ct)
    {
        var blob = Container(container).GetBlockBlobReference(name);
        try
        {
            using var buffer = new MemoryStream();
            await blob.DownloadToStreamAsync(buffer, null, null, null, ct);
            return buffer.ToArray();
        }
        catch (StorageException e) when (e.RequestInformation?.HttpStatusCode == 404)
        {
            return null;
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"reading {container}/{name}");
        }
    }

    public async Task<byte[]> ReadRangeAsync(string container, string name, long offset, int length, CancellationToken ct)
    {
        var blob = Container(container).GetBlockBlobReference(name);
        var buffer = new byte[length];
        try
        {
            var read = await blob.DownloadRangeToByteArrayAsync(buffer, 0, offset, length, null, null, null, ct);
            return read == length ? buffer : buffer[..read];
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"reading {container}/{name}");
        }
    }

    public async Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct)
    {
        var blob = Container(container).GetBlockBlobReference(name);
        try
        {
            await blob.FetchAttributesAsync(null, null, null, ct);
            return ToInfo(blob);
        }
        catch (StorageException e) when (e.RequestInformation?.HttpStatusCode == 404)
        {
            return null;
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"reading {container}/{name}");
        }
    }

    public async Task SetMetadataAsync(string container, string name, IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        var blob = Container(container).GetBlockBlobReference(name);
        try
        {
            await blob.FetchAttributesAsync(null, null, null, ct);
            foreach (var (k, v) in metadata) blob.Metadata[k] = v;
            await blob.SetMetadataAsync(AccessCondition.GenerateIfMatchCondition(blob.Properties.ETag), null, null, ct);
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"writing metadata of {container}/{name}");
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string container, string? prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        BlobContinuationToken? token = null;
        do
        {
            BlobResultSegment segment;
            try
            {
                segment = await Container(container).ListBlobsSegmentedAsync(prefix, true, BlobListingDetails.Metadata, 1000, token, null, null, ct);
            }
            catch (StorageException e)
            {
                throw AzureStorage.Translate(e, $"listing {container}");
            }
            foreach (var item in segment.Results.OfType<CloudBlockBlob>()) yield return ToInfo(item);
            token = segment.ContinuationToken;
        } while (token is not null);
    }

    public async Task DeleteAsync(string container, string name, CancellationToken ct)
    {
        try
        {
            await Container(container).GetBlockBlobReference(name).DeleteIfExistsAsync(DeleteSnapshotsOption.None, null, null, null, ct);
        }
        catch (StorageException e)
        {
            throw AzureStorage.Translate(e, $"deleting {container}/{name}");
        }
    }

    private static BlobInfo ToInfo(CloudBlob blob) => new(
        blob.Name, blob.Properties.Length, blob.Properties.ETag ?? "", blob.Properties.LastModified,
        new Dictionary<string, string>(blob.Metadata, StringComparer.OrdinalIgnoreCase));
}
