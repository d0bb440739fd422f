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
