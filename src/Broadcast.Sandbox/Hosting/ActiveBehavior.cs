using System.Collections.Frozen;

namespace Broadcast.Sandbox.Hosting;

/// <summary>A configured <see cref="VendorBehavior"/> with its live counters. Replaced as a whole on reconfiguration.</summary>
internal sealed class ActiveBehavior
{
    private int _failRemaining;
    private int _statusFalseRemaining;
    private readonly FrozenDictionary<string, int> _failPhones;

    public ActiveBehavior(VendorBehavior behavior)
    {
        Behavior = behavior with { FailPhones = behavior.FailPhones is null ? null : new(behavior.FailPhones) };
        _failRemaining = behavior.FailNext;
        _statusFalseRemaining = behavior.OmnichatStatusFalseNext;
        Bucket = behavior.RateLimitPerSecond is int rate ? new TokenBucket(rate) : null;
        // Keys match with or without a leading '+', so one FailPhones map works for every vendor's phone format.
        _failPhones = (behavior.FailPhones ?? [])
            .GroupBy(p => Normalize(p.Key))
            .ToFrozenDictionary(g => g.Key, g => g.First().Value);
    }

    public VendorBehavior Behavior { get; }
    public TokenBucket? Bucket { get; }
    public bool HasFailPhones => _failPhones.Count > 0;

    public bool TryConsumeFail() => TryConsume(ref _failRemaining);
    public bool TryConsumeStatusFalse() => TryConsume(ref _statusFalseRemaining);

    public int? FailStatusFor(string phone) =>
        _failPhones.Count > 0 && _failPhones.TryGetValue(Normalize(phone), out var status) ? status : null;

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
