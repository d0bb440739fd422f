using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Telemetry;

/// <summary>The product's log lines: one per meaningful event, source-generated (no formatting or boxing unless
/// the level is on). Every workflow step runs inside <see cref="BeginBroadcastScope"/>, so each line, the
/// framework's included, carries the broadcast id; lines written inside a span carry its trace id.</summary>
public static partial class BroadcastLog
{
    private static readonly Func<ILogger, string, IDisposable?> Scope = LoggerMessage.DefineScope<string>("broadcast {BroadcastId}");

    public static IDisposable? BeginBroadcastScope(this ILogger log, string broadcastId) => Scope(log, broadcastId);

    [LoggerMessage(1001, LogLevel.Information, "Broadcast {BroadcastId} accepted: {Recipients} recipients via {Vendor}, starts {StartsAt}")]
    public static partial void BroadcastAccepted(this ILogger log, string broadcastId, long recipients, string vendor, string startsAt);

    [LoggerMessage(1002, LogLevel.Information, "Broadcast {BroadcastId} started: {Recipients} recipients in {Batches} batches")]
    public static partial void BroadcastStarted(this ILogger log, string broadcastId, long recipients, int batches);

    [LoggerMessage(1003, LogLevel.Information,
        "Broadcast {BroadcastId} {Status}: {Sent} sent, {Failed} failed, {Unknown} unknown, {Suppressed} suppressed, {Canceled} canceled in {Seconds:0.0} s")]
    public static partial void BroadcastFinished(this ILogger log, string broadcastId, string status, long sent, long failed, long unknown,
        long suppressed, long canceled, double seconds);

    [LoggerMessage(1004, LogLevel.Information, "Broadcast {BroadcastId} canceled")]
    public static partial void BroadcastCanceled(this ILogger log, string broadcastId);

    [LoggerMessage(1005, LogLevel.Warning, "Broadcast {BroadcastId}: gave up batch {Batch} after {Tries} tries: {Reason}")]
    public static partial void BatchGivenUp(this ILogger log, string broadcastId, int batch, int tries, string reason);

    [LoggerMessage(1007, LogLevel.Error, "Broadcast {BroadcastId}: vendor {Vendor} is not configured (missing {Missing}); its recipients failed")]
    public static partial void VendorNotConfigured(this ILogger log, string broadcastId, string vendor, string missing);

    [LoggerMessage(1008, LogLevel.Warning, "Broadcast {BroadcastId}: batch {Batch} failed on this try, it will be retried: {Error}")]
    public static partial void BatchFailed(this ILogger log, string broadcastId, int batch, string error);

    [LoggerMessage(1009, LogLevel.Warning, "Another run of a batch wrote it first ({Error}); stopping this run's sends")]
    public static partial void BatchTakenOver(this ILogger log, string error);

    [LoggerMessage(1010, LogLevel.Debug, "Broadcast {BroadcastId}: a recipient failed on {From} for good; failing over to {To}")]
    public static partial void FailingOver(this ILogger log, string broadcastId, string from, string to);
}
