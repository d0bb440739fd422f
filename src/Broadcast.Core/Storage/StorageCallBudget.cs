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

    /// <summary>Waits for <paramref name="call"/> within the budget; past it, storage counts as unavailable (the call
    /// itself goes on in the background and ends by its own timeout).</summary>
    public static async Task<T> WithinAsync<T>(Task<T> call, string what)
    {
        if (Current is not { } budget) return await call;
        try
        {
            return await call.WaitAsync(budget);
        }
        catch (TimeoutException e)
        {
            throw new StorageUnavailableException($"{what}: storage did not answer within {budget.TotalSeconds:0.#} s", e);
        }
    }
}
