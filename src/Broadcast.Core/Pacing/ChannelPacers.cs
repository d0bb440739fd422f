using System.Collections.Concurrent;
using Broadcast.Core.Storage;
using Broadcast.Core.Vendors;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Pacing;

/// <summary>One <see cref="ChannelCoordinator"/> per vendor account and channel this process sends on.</summary>
public sealed class ChannelPacers(ITableStore tables, StorageNames names, PacingOptions options, TimeProvider time,
    ILogger<ChannelPacers> log) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ChannelCoordinator>> _channels = new();

    /// <summary>This process in the lease table: host and process id for people, a random part for restarts.</summary>
    public string Instance { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^20];

    public ChannelCoordinator For(string channelKey, VendorOptions vendor) =>
        _channels.GetOrAdd(channelKey, key => new Lazy<ChannelCoordinator>(() => new ChannelCoordinator(
            tables, names.ChannelLeasesTable, key, Instance, vendor.RatePerSecond, vendor.MaxConcurrency, options, time, log))).Value;

    /// <summary>Storage operations spent on pacing so far, all channels.</summary>
    public long StorageOperations => _channels.Values.Where(c => c.IsValueCreated).Sum(c => c.Value.StorageOperations);

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values.Where(c => c.IsValueCreated)) await channel.Value.DisposeAsync();
    }
}
