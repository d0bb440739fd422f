using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Broadcast.Core.Storage;
using BlobInfo = Broadcast.Core.Storage.BlobInfo;

namespace Broadcast.Storage;

internal sealed class AzureBlobStore(BlobServiceClient service, StorageCallGates gates) : IBlobStore
{
    // Blobs are read in 4 MiB ranges: few round trips for a million-recipient set, little memory per reader.
    private const int ReadBufferBytes = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, BlobContainerClient> _containers = new();

    private BlobContainerClient Container(string name) => _containers.GetOrAdd(name, service.GetBlobContainerClient);

    private BlockBlobClient Blob(string container, string name) => Container(container).GetBlockBlobClient(name);

    public Task EnsureContainerAsync(string name, CancellationToken ct) =>
        gates.Guard(() => Container(name).CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: ct), $"creating container {name}");

    public Task<Stream> OpenWriteAsync(string container, string name, string contentType, CancellationToken ct) =>
        Task.FromResult<Stream>(new BlockBlobWriteStream(Blob(container, name), contentType, $"writing {container}/{name}", gates));

    public Task UploadAsync(string container, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Metadata = metadata?.ToDictionary(),
        };
        return gates.Guard(() => Blob(container, name).UploadAsync(new BinaryData(content).ToStream(), options, ct),
            $"uploading {container}/{name}");
    }

    public async Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct)
    {
        try
        {
            return await gates.Guard(() => Blob(container, name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
            {
                BufferSize = ReadBufferBytes,
            }, ct), $"reading {container}/{name}");
        }
        catch (Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<byte[]?> ReadAllAsync(string container, string name, CancellationToken ct)
    {
        try
        {
            var result = await gates.Guard(() => Blob(container, name).DownloadContentAsync(ct), $"reading {container}/{name}");
            return result.Value.Content.ToArray();
        }
        catch (Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    public Task<byte[]> ReadRangeAsync(string container, string name, long offset, int length, CancellationToken ct) =>
        gates.Guard(async () =>
        {
            var result = await Blob(container, name).DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, length) }, ct);
            return result.Value.Content.ToArray();
        }, $"reading {container}/{name}");

    public async Task<BlobInfo?> GetInfoAsync(string container, string name, CancellationToken ct)
    {
        try
        {
            var p = (await gates.Guard(() => Blob(container, name).GetPropertiesAsync(cancellationToken: ct), $"reading {container}/{name}")).Value;
            return new BlobInfo(name, p.ContentLength, p.ETag.ToString(), p.LastModified, Metadata(p.Metadata));
        }
        catch (Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    public Task SetMetadataAsync(string container, string name, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        gates.Guard(async () =>
        {
            var blob = Blob(container, name);
            var properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
            var merged = new Dictionary<string, string>(properties.Metadata, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in metadata) merged[k] = v;
            await blob.SetMetadataAsync(merged, new BlobRequestConditions { IfMatch = properties.ETag }, ct);
        }, $"writing metadata of {container}/{name}");

    public async IAsyncEnumerable<BlobInfo> ListAsync(string container, string? prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var pages = Container(container).GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, ct).AsPages().GetAsyncEnumerator(ct);
        try
        {
            while (await gates.Guard(() => pages.MoveNextAsync().AsTask(), $"listing {container}"))
                foreach (var item in pages.Current.Values)
                    yield return new BlobInfo(item.Name, item.Properties.ContentLength ?? 0, item.Properties.ETag?.ToString() ?? "",
                        item.Properties.LastModified, Metadata(item.Metadata));
        }
        finally
        {
            await pages.DisposeAsync();
        }
    }

    public Task DeleteAsync(string container, string name, CancellationToken ct) =>
        gates.Guard(() => Blob(container, name).DeleteIfExistsAsync(cancellationToken: ct), $"deleting {container}/{name}");

    private static IReadOnlyDictionary<string, string> Metadata(IDictionary<string, string>? metadata) =>
        new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);

    private static bool IsNotFound(Exception e) => e.InnerException is RequestFailedException { Status: 404 };
}
