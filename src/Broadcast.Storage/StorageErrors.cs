using System.Diagnostics;
using Azure;
using Broadcast.Core.Storage;

namespace Broadcast.Storage;

/// <summary>The one place where the SDK's <see cref="RequestFailedException"/> becomes the product's own exceptions.
/// Messages name the operation, never a request URL (which can carry a SAS signature) or a key.</summary>
internal static class StorageErrors
{
    public static Exception Translate(RequestFailedException e, string what) => e.Status switch
    {
        409 => new StorageConflictException($"{what}: already exists", e),
        412 => new StoragePreconditionFailedException($"{what}: changed by someone else", e),
        // 0: no answer at all (connection refused, reset, timed out); 408, 429 and 5xx: the service is busy or down.
        0 or 408 or 429 or >= 500 => new StorageUnavailableException($"{what}: storage is unavailable ({Describe(e)})", e),
        _ => new IOException($"{what}: storage answered {Describe(e)}", e),
    };

    private static string Describe(RequestFailedException e) =>
        e.Status == 0 ? "no answer" : $"{e.Status} {e.ErrorCode}".TrimEnd();

    /// <summary>Runs a storage call through the app's <paramref name="gates"/> (in the current flow's lane) and
    /// translates its failure. A network failure that never became a <see cref="RequestFailedException"/> (the SDK's
    /// retries ran out on a socket error) is "unavailable" too. The flow's <see cref="StorageCallBudget"/> covers the
    /// wait at the gate as well as the call: with storage gone, calls queue there behind ones that time out.</summary>
    public static async Task<T> Guard<T>(this StorageCallGates gates, Func<Task<T>> call, string what)
    {
        var budget = StorageCallBudget.Current;
        var started = Stopwatch.GetTimestamp();
        using var slot = await gates.EnterAsync(StorageLanes.Current, budget) ?? throw StorageCallBudget.Exceeded(what);
        var left = budget - Stopwatch.GetElapsedTime(started);
        if (left <= TimeSpan.Zero) throw StorageCallBudget.Exceeded(what);
        try
        {
            return await StorageCallBudget.WithinAsync(call(), what, left);
        }
        catch (RequestFailedException e)
        {
            throw Translate(e, what);
        }
        catch (Exception e) when (e is AggregateException or HttpRequestException
                                   || (e is TaskCanceledException && e.InnerException is TimeoutException))
        {
            // The SDK's retries ran out on socket errors or its network timeout (an AggregateException of them), or a
            // single attempt timed out: no answer from storage.
            throw new StorageUnavailableException($"{what}: storage is unavailable (no answer)", e);
        }
    }

    public static Task Guard(this StorageCallGates gates, Func<Task> call, string what) => gates.Guard(async () => { await call(); return true; }, what);
}
