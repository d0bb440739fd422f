using Azure.Core;
using Broadcast.Core.Storage;

namespace Broadcast.Storage;

/// <summary>Retry and timeout settings for every storage client. The SDK's defaults (100 s network timeout, 3 retries
/// up to 8 s apart) would hold a request for minutes against a storage account that does not answer.</summary>
public sealed class StorageClientSettings
{
    /// <summary>One attempt waits this long for an answer before it is retried.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; exponential with jitter from there, capped by <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One storage call made while serving an API request waits at most this long (<see cref="StorageCallBudget"/>):
    /// a caller hears 503 within 3 s whatever storage does, with a second left for the rest of the request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Storage calls of background work (sending, fan-out, counters) in flight at once, a quarter of it while
    /// API calls are being served. Few enough that a saturated account still answers callers quickly, enough for the
    /// background's own pace (a 100,000-recipient broadcast sends at the same rate with it). 0: no limit.</summary>
    public int BackgroundConcurrency { get; set; } = 16;

    /// <summary>Storage calls of API reads (GET) in flight at once; more wait in the process. Keeps a crowd of status
    /// polls from queueing at the account ahead of the accepts callers wait on (200 concurrent callers that each
    /// send and then read, on Azurite: accept p50 about 600 → 260 ms from this alone). API writes are never held
    /// back. 0: no limit.</summary>
    public int ReadConcurrency { get; set; } = 8;

    internal void Apply(ClientOptions options, StorageAnswers answers)
    {
        answers.AddTo(options);
        var retry = options.Retry;
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.Delay = RetryDelay;
        retry.MaxDelay = MaxRetryDelay;
        retry.NetworkTimeout = NetworkTimeout;
    }
}
