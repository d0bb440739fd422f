using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Broadcast.Sandbox.Hosting;

/// <summary>A configured <see cref="VendorBehavior"/> with its live counters. Replaced as a whole on reconfiguration.</summary>
internal sealed class ActiveBehavior
{
    private int _failRemaining;
    private int _statusFalseRemaining;
    private readonly FrozenDictionary<string, int> _failPhones;
    private readonly FrozenDictionary<string, PhoneFault> _phoneFaults;
    private readonly FrozenSet<string> _statusFalsePhones;
    private readonly ConcurrentDictionary<string, int> _faultsGiven = new(StringComparer.Ordinal);

    public ActiveBehavior(VendorBehavior behavior)
    {
        Behavior = behavior with
        {
            FailPhones = behavior.FailPhones is null ? null : new(behavior.FailPhones),
            PhoneFaults = behavior.PhoneFaults?.ToDictionary(p => p.Key, p => p.Value with { }),
            OmnichatStatusFalsePhones = behavior.OmnichatStatusFalsePhones is null ? null : [.. behavior.OmnichatStatusFalsePhones],
        };
        _failRemaining = behavior.FailNext;
        _statusFalseRemaining = behavior.OmnichatStatusFalseNext;
        Bucket = behavior.RateLimitPerSecond is int rate ? new TokenBucket(rate) : null;
        // Keys match with or without a leading '+', so one FailPhones map works for every vendor's phone format.
        _failPhones = (behavior.FailPhones ?? [])
            .GroupBy(p => Normalize(p.Key))
            .ToFrozenDictionary(g => g.Key, g => g.First().Value);
        _phoneFaults = (Behavior.PhoneFaults ?? [])
            .GroupBy(p => Normalize(p.Key))
            .ToFrozenDictionary(g => g.Key, g => g.First().Value);
        _statusFalsePhones = (behavior.OmnichatStatusFalsePhones ?? []).Select(Normalize).ToFrozenSet(StringComparer.Ordinal);
    }

    public VendorBehavior Behavior { get; }
    public TokenBucket? Bucket { get; }
    public bool HasFailPhones => _failPhones.Count > 0;
    public bool HasPhoneFaults => _phoneFaults.Count > 0;

    public bool TryConsumeFail() => TryConsume(ref _failRemaining);
    public bool TryConsumeStatusFalse() => TryConsume(ref _statusFalseRemaining);

    public bool AnswersStatusFalseFor(string phone) => _statusFalsePhones.Contains(Normalize(phone));

    public int? FailStatusFor(string phone) =>
        _failPhones.Count > 0 && _failPhones.TryGetValue(Normalize(phone), out var status) ? status : null;

    /// <summary>The fault this request for <paramref name="phone"/> gets, counting it against the fault's
    /// <see cref="PhoneFault.Times"/>; null when the number has none (or none left).</summary>
    public PhoneFault? TakeFault(string phone)
    {
        if (_phoneFaults.Count == 0) return null;
        var key = Normalize(phone);
        if (!_phoneFaults.TryGetValue(key, out var fault)) return null;
        if (fault.Times is not int times) return fault;
        return _faultsGiven.AddOrUpdate(key, 1, static (_, n) => n + 1) <= times ? fault : null;
    }

    private static string Normalize(string phone) => phone.Trim().TrimStart('+');

    private static bool TryConsume(ref int remaining)
    {
        while (true)
        {
            var current = Volatile.Read(ref remaining);
            if (current <= 0)
                return false;
            if (Interlocked.CompareExchange(ref remaining, current - 1, current) == current)
                return true;
        }
    }
}
