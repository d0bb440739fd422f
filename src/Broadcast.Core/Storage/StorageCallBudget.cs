namespace Broadcast.Core.Storage;

/// <summary>How long one storage call may take on the current flow. Set while an API request is served, so that a
/// storage account that stops answering becomes a 503 within seconds instead of the clients' whole retry budget;
/// unset (the clients' own timeouts and retries) for background work, which waits storage out.</summary>
public static class StorageCallBudget
{
    private static readonly AsyncLocal<TimeSpan?> Budget = new();

    public static TimeSpan? Current => Budget.Value;

    /// <summary>For the rest of this flow (an API request), each storage call gets at most <paramref name="budget"/>.</summary>
    public static void Set(TimeSpan? budget) => Budget.Value = budget;

    /// <summary>Waits for <paramref name="call"/> for at most <paramref name="left"/> (what remains of the budget after
    /// waiting for a place at the app's gates; null: no budget); past it, storage counts as unavailable (the call
    /// itself goes on in the background and ends by its own timeout).</summary>
    public static async Task<T> WithinAsync<T>(Task<T> call, string what, TimeSpan? left)
    {
        if (left is not { } wait) return await call;
        try
        {
            return await call.WaitAsync(wait);
        }
        catch (TimeoutException e)
        {
            throw Exceeded(what, e);
        }
    }

    /// <summary>The budget ran out: before the call could start (calls ahead of it at the gates), or during it.</summary>
    public static StorageUnavailableException Exceeded(string what, Exception? inner = null) =>
        new($"{what}: storage did not answer within {Current.GetValueOrDefault().TotalSeconds:0.#} s", inner);
}
