using Broadcast.Functions.Drops;
using Microsoft.Extensions.Options;

namespace Broadcast.Functions.Hosting;

/// <summary>The blob-triggered <c>BroadcastDrop</c>: hands the dropped blob, by name, to the <see cref="IDropProcessor"/>
/// the standalone watcher uses too. The blob trigger fires once per blob, so while the processor says "later" (the
/// CSV waits for its request, or another claim holds it) this asks again every <c>Drops__PollInterval</c> for as long
/// as that can legitimately last, rather than leave the drop to a host retry that could come too early or too late.</summary>
internal static class DropInvocation
{
    public static async Task<IResult> RunAsync(HttpContext context, string container, IDropProcessor? processor)
    {
        const string function = FunctionsHost.DropFunction;
        var log = HostInvocationEndpoints.Logger(context, function);
        var (invocation, rejected) = await HostInvocationEndpoints.ReadAsync(context);
        if (invocation is null) return rejected!.ToHttpResult();

        // The trigger's Data carries the blob's content; the processor streams the blob itself, by name.
        var name = invocation.MetadataString("name") ?? BlobNameFromUri(invocation.MetadataString("Uri"), container);
        if (string.IsNullOrEmpty(name))
            return HostInvocationResult.Rejected($"{function}: the invocation names no blob ('Metadata.name' or 'Metadata.Uri')").ToHttpResult();

        if (processor is null) return HostInvocationResult.Failed($"{function}: no drop processor is registered").ToHttpResult();
        var options = context.RequestServices.GetRequiredService<IOptions<DropOptions>>().Value;
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var askUntil = time.GetUtcNow() + options.SidecarGrace + options.ClaimLease;
        using var stopping = HostInvocationEndpoints.Stopping(context);
        try
        {
            var result = await processor.ProcessAsync(name, stopping.Token);
            while (ComesBackLater(result) && time.GetUtcNow() < askUntil)
            {
                await Task.Delay(options.PollInterval, time, stopping.Token);
                result = await processor.ProcessAsync(name, stopping.Token);
            }
            var said = $"{function}: {name}: {result.Outcome}" + (result.BroadcastId is null ? "" : $" (broadcast {result.BroadcastId})")
                + (result.Detail is null ? "" : $": {result.Detail}");
            return ComesBackLater(result) ? HostInvocationResult.Failed(said).ToHttpResult() : HostInvocationResult.Succeeded(said).ToHttpResult();
        }
        catch (Exception e)
        {
            log.LogWarning("Drop {Blob} failed: {Error}", name, e.Message);
            return HostInvocationResult.Failed($"{function}: {name}: failed: {e.Message}").ToHttpResult();
        }
    }

    /// <summary>Waiting for its request, or claimed by another worker (or held back for a retry) and not settled.</summary>
    private static bool ComesBackLater(DropResult result) =>
        result.Outcome == "waiting" || result is { Outcome: "already_started", BroadcastId: null };

    /// <summary>".../devstoreaccount1/broadcast-drops/in/a%20b.csv" → "in/a b.csv".</summary>
    internal static string? BlobNameFromUri(string? uri, string container)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return null;
        var path = parsed.AbsolutePath;
        var marker = "/" + container + "/";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : Uri.UnescapeDataString(path[(at + marker.Length)..]);
    }
}
