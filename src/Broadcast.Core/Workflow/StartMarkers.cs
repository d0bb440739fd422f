using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>What makes an accept durable in one table transaction. A group of broadcasts is written together with a
/// marker row holding its start work items; the callers are answered as soon as that transaction lands, and the items
/// are then enqueued and the marker deleted. Should that not happen (the process died, the queue service failed), any
/// instance's <see cref="SweepAsync"/> finds the marker and enqueues them: an accepted broadcast always starts, and
/// a queue write is not part of what a caller waits for. A start enqueued twice is harmless (the start step is
/// idempotent).</summary>
public sealed class StartMarkers(IStorage storage, StorageNames names, TimeProvider time, ILogger<StartMarkers> log)
{
    /// <summary>Sorts after every broadcast id (lower-case letters and digits), in the broadcasts' own partition, so
    /// that it can share their transaction and lists of broadcasts end before it.</summary>
    public const string RowKeyPrefix = "~start-";

    /// <summary>A marker younger than this belongs to a commit still enqueueing its items (milliseconds, or the
    /// seconds of storage's own retries): the sweep leaves it alone.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    /// <summary>How often each instance sweeps: a lost start is late by at most Grace plus this.</summary>
    public static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(30);

    public sealed record PendingStart([property: JsonPropertyName("item")] string Item, [property: JsonPropertyName("visible_at")] DateTimeOffset VisibleAt);

    public static bool IsMarker(string rowKey) => rowKey.StartsWith(RowKeyPrefix, StringComparison.Ordinal);

    public static TableRow Row(string groupId, IReadOnlyList<PendingStart> starts, DateTimeOffset now) =>
        new(BroadcastRecord.Partition, RowKeyPrefix + groupId)
        {
            ["Starts"] = JsonSerializer.Serialize(starts),
            ["CreatedAt"] = now,
        };

    /// <summary>Enqueues the start items of markers older than <see cref="Grace"/> and deletes the markers; answers
    /// how many it settled.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var settled = 0;
        string? continuation = null;
        do
        {
            var page = await storage.Tables.QueryAsync(names.BroadcastsTable, BroadcastRecord.Partition, RowKeyPrefix, 100, continuation, ct);
            continuation = page.Continuation;
            foreach (var marker in page.Rows.Where(r => IsMarker(r.RowKey)))
            {
                if (time.GetUtcNow() - (marker.GetDate("CreatedAt") ?? DateTimeOffset.MinValue) < Grace) continue;
                var starts = JsonSerializer.Deserialize<List<PendingStart>>(marker.GetString("Starts") ?? "[]") ?? [];
                await EnqueueAsync(starts, ct);
                await storage.Tables.DeleteAsync(names.BroadcastsTable, marker.PartitionKey, marker.RowKey, ct);
                log.LogWarning("Enqueued the start of {Count} broadcasts whose accepting instance had not ({Marker})", starts.Count, marker.RowKey);
                settled++;
            }
        } while (continuation is not null);
        return settled;
    }

    /// <summary>Enqueues the items (each visible at its time) and then deletes the marker.</summary>
    public async Task SettleAsync(string groupId, IReadOnlyList<PendingStart> starts, CancellationToken ct)
    {
        await EnqueueAsync(starts, ct);
        await storage.Tables.DeleteAsync(names.BroadcastsTable, BroadcastRecord.Partition, RowKeyPrefix + groupId, ct);
    }

    private Task EnqueueAsync(IEnumerable<PendingStart> starts, CancellationToken ct)
    {
        var queue = storage.Queue(names.StartQueue);
        var now = time.GetUtcNow();
        return Task.WhenAll(starts.Select(s => queue.EnqueueAsync(s.Item, s.VisibleAt > now ? s.VisibleAt - now : TimeSpan.Zero, ct)));
    }
}
