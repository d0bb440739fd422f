using Broadcast.Core.Storage;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;
using Microsoft.WindowsAzure.Storage.Queue;
using Microsoft.WindowsAzure.Storage.RetryPolicies;
using Microsoft.WindowsAzure.Storage.Table;

namespace Broadcast.Storage;

/// <summary>Azure Storage (or Azurite) through WindowsAzure.Storage 9.3.3, the only client the feed restores.
/// Everything that knows about that library lives in this project.</summary>
public sealed class AzureStorage : IStorage
{
    private readonly StorageNames _names;
    private readonly CloudQueueClient _queues;

    public AzureStorage(string connectionString, StorageNames names)
    {
        if (!CloudStorageAccount.TryParse(connectionString, out var account))
            throw new ArgumentException("AzureWebJobsStorage is not a valid Azure Storage connection string.");
        _names = names;
        var retry = new ExponentialRetry(TimeSpan.FromMilliseconds(100), 3);
        var tables = account.CreateCloudTableClient();
        tables.DefaultRequestOptions.RetryPolicy = retry;
        var blobs = account.CreateCloudBlobClient();
        blobs.DefaultRequestOptions.RetryPolicy = retry;
        blobs.DefaultRequestOptions.ParallelOperationThreadCount = 4;
        blobs.DefaultRequestOptions.SingleBlobUploadThresholdInBytes = 4 * 1024 * 1024;
        _queues = account.CreateCloudQueueClient();
        _queues.DefaultRequestOptions.RetryPolicy = retry;
        Tables = new AzureTableStore(tables);
        Blobs = new AzureBlobStore(blobs);
    }

    public ITableStore Tables { get; }
    public IBlobStore Blobs { get; }

    public IWorkQueue Queue(string name) => new AzureWorkQueue(_queues.GetQueueReference(name));

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        var work = new List<Task>();
        foreach (var q in _names.AllQueues) work.Add(_queues.GetQueueReference(q).CreateIfNotExistsAsync(null, null, ct));
        foreach (var c in _names.AllContainers) work.Add(((AzureBlobStore)Blobs).EnsureContainerAsync(c, ct));
        foreach (var t in _names.AllTables) work.Add(((AzureTableStore)Tables).EnsureTableAsync(t, ct));
        await Task.WhenAll(work);
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await _queues.GetQueueReference(_names.StartQueue).ExistsAsync(null, null, ct);
            return true;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Maps the legacy client's exceptions onto the product's own, without leaking request URLs
    /// (which can carry SAS signatures) into messages.</summary>
    internal static Exception Translate(StorageException e, string what)
    {
        if (e.InnerException is OperationCanceledException canceled) return canceled;
        var status = e.RequestInformation?.HttpStatusCode ?? 0;
        return status switch
        {
            409 => new StorageConflictException($"{what}: already exists", e),
            412 => new StoragePreconditionFailedException($"{what}: changed by someone else", e),
            _ => new IOException($"{what}: storage answered {status} {e.RequestInformation?.ErrorCode}".TrimEnd(), e),
        };
    }
}
