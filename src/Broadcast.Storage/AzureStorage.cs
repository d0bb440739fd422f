using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Broadcast.Core.Storage;

namespace Broadcast.Storage;

/// <summary>Azure Storage (or Azurite) through the Azure SDK v12 clients. Everything that knows about the SDK lives in
/// this project; the clients come from <see cref="StorageRegistration"/> (a connection string or a token credential),
/// or from a connection string for tools and tests (<see cref="FromConnectionString"/>, with gates of their own).</summary>
public sealed class AzureStorage : IStorage
{
    private readonly StorageNames _names;
    private readonly BlobServiceClient _blobs;

    private readonly StorageAnswers? _answers;

    /// <param name="gates">The app's gates every call of this storage goes through (the container's own in the app).</param>
    /// <param name="answers">The policy on these clients' pipelines, when they have it: lets <see cref="PingAsync"/>
    /// count an answer to any call as a sign of life.</param>
    public AzureStorage(BlobServiceClient blobs, TableServiceClient tables, StorageNames names,
        StorageCallGates gates, StorageAnswers? answers = null)
    {
        _names = names;
        _answers = answers;
        _blobs = blobs;
        Tables = new AzureTableStore(tables, gates);
        Blobs = new AzureBlobStore(blobs, gates);
    }

    /// <summary>For tools and tests that hold a connection string (Azurite); the app registers through
    /// <see cref="StorageRegistration.AddBroadcastStorage"/>.</summary>
    public AzureStorage(string connectionString, StorageNames names) : this(FromConnectionString(connectionString, names))
    {
    }

    private AzureStorage(AzureStorage other)
    {
        _names = other._names;
        _answers = other._answers;
        _blobs = other._blobs;
        Tables = other.Tables;
        Blobs = other.Blobs;
    }

    public static AzureStorage FromConnectionString(string connectionString, StorageNames names, StorageClientSettings? settings = null)
    {
        settings ??= new StorageClientSettings();
        var answers = new StorageAnswers();
        var blobOptions = new BlobClientOptions();
        settings.Apply(blobOptions, answers);
        var tableOptions = new TableClientOptions();
        settings.Apply(tableOptions, answers);
        return new AzureStorage(new BlobServiceClient(connectionString, blobOptions),
            new TableServiceClient(connectionString, tableOptions), names, StorageCallGates.From(settings), answers);
    }

    public ITableStore Tables { get; }
    public IBlobStore Blobs { get; }

    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        var work = new List<Task>();
        foreach (var c in _names.AllContainers) work.Add(Blobs.EnsureContainerAsync(c, ct));
        foreach (var t in _names.AllTables) work.Add(((AzureTableStore)Tables).EnsureTableAsync(t, ct));
        await Task.WhenAll(work);
    }

    /// <summary>Reachable when our probe is answered, or when storage answers any other call of this app meanwhile
    /// (a busy account is slow to reach the probe, but it is up).</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            if (_answers is null)
            {
                await _blobs.GetBlobContainerClient(_names.UploadsContainer).ExistsAsync(ct);
                return true;
            }
            if (_answers.AnsweredRecently) return true;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var someoneAnswered = _answers.NextAsync(stop.Token);
            var probe = _blobs.GetBlobContainerClient(_names.UploadsContainer).ExistsAsync(stop.Token);
            var first = await Task.WhenAny(probe, someoneAnswered);
            await stop.CancelAsync();
            if (first == someoneAnswered && someoneAnswered.IsCompletedSuccessfully)
            {
                _ = probe.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed, whenever it ends
                return true;
            }
            _ = someoneAnswered.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            await probe;
            return true;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
