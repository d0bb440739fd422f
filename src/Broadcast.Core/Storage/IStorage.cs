namespace Broadcast.Core.Storage;

/// <summary>The one door to Azure Storage for the product's own data: tables and blobs, named with the configured
/// prefix (the Durable Task engine keeps its task hub beside them).</summary>
public interface IStorage
{
    ITableStore Tables { get; }
    IBlobStore Blobs { get; }
    Task EnsureCreatedAsync(CancellationToken ct);
    Task<bool> PingAsync(CancellationToken ct);
}
