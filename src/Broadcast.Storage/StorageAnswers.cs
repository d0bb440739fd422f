using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Broadcast.Storage;

/// <summary>Notices every answer storage gives any call of this app (a pipeline policy on every client), so a health
/// probe stuck behind a busy account can still tell that the account is answering: under a burst of writes Azurite or
/// a throttled account may take seconds to reach the probe, yet it is plainly up.</summary>
public sealed class StorageAnswers : HttpPipelineSynchronousPolicy
{
    private sealed class Waiter(long since)
    {
        public long Since { get; } = since;
        public TaskCompletionSource Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly List<Waiter> _waiters = [];
    private int _waiting;
    private long _lastAnswer;

    /// <summary>An answer this recent shows the account up now as well as a new one would: a busy account is slow to
    /// answer a new probe, a stopped one gives no answer at all, and its last one soon ages past this.</summary>
    public static readonly TimeSpan Recent = TimeSpan.FromMilliseconds(250);

    /// <summary>Storage answered some call (any status below 500) within <see cref="Recent"/>.</summary>
    public bool AnsweredRecently => Volatile.Read(ref _lastAnswer) is var last and not 0 && Stopwatch.GetElapsedTime(last) < Recent;

    /// <summary>Completes when storage answers (any status below 500) a request sent after this call: an answer
    /// already on its way when storage stopped proves nothing about now.</summary>
    public async Task NextAsync(CancellationToken ct)
    {
        var waiter = new Waiter(Stopwatch.GetTimestamp());
        lock (_waiters)
        {
            _waiters.Add(waiter);
            _waiting = _waiters.Count;
        }
        try
        {
            await waiter.Answered.Task.WaitAsync(ct);
        }
        finally
        {
            lock (_waiters)
            {
                _waiters.Remove(waiter);
                _waiting = _waiters.Count;
            }
        }
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        // Only while someone waits: the common path is one volatile read.
        if (Volatile.Read(ref _waiting) > 0) message.SetProperty(typeof(StorageAnswers), Stopwatch.GetTimestamp());
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (!message.HasResponse || message.Response.Status >= 500) return;
        Volatile.Write(ref _lastAnswer, Stopwatch.GetTimestamp());
        if (Volatile.Read(ref _waiting) == 0) return;
        if (!message.TryGetProperty(typeof(StorageAnswers), out var sent) || sent is not long sentAt) return;
        lock (_waiters)
            foreach (var waiter in _waiters)
                if (sentAt >= waiter.Since) waiter.Answered.TrySetResult();
    }

    internal void AddTo(ClientOptions options) => options.AddPolicy(this, HttpPipelinePosition.PerRetry);
}
