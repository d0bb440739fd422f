using System.Collections.Concurrent;

namespace Broadcast.Sandbox.Hosting;

/// <summary>Counters and deliveries of one vendor. Replaced as a whole when records are cleared.</summary>
internal sealed class VendorLedger
{
    private long _requests;
    private long _accepted;
    private long _rejected;

    // A million-recipient benchmark counts every number: numbers are kept as longs (negative when written with
    // '+'), which takes a third of the memory of strings; anything else as a string.
    private readonly ConcurrentDictionary<long, int> _numbers = new();
    private readonly ConcurrentDictionary<string, int> _others = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, int>> Deliveries =>
        _numbers.Select(p => KeyValuePair.Create(p.Key < 0 ? "+" + (-p.Key) : p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Value))
            .Concat(_others);

    public long Requests => Interlocked.Read(ref _requests);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Rejected => Interlocked.Read(ref _rejected);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountOutcome(bool accepted)
    {
        if (accepted)
            Interlocked.Increment(ref _accepted);
        else
            Interlocked.Increment(ref _rejected);
    }

    public void Deliver(string recipient)
    {
        if (AsNumber(recipient) is { } number) _numbers.AddOrUpdate(number, 1, static (_, n) => n + 1);
        else _others.AddOrUpdate(recipient, 1, static (_, n) => n + 1);
    }

    private static long? AsNumber(string recipient)
    {
        var plus = recipient.StartsWith('+');
        var digits = plus ? recipient.AsSpan(1) : recipient.AsSpan();
        if (digits.Length is 0 or > 18 || digits[0] == '0') return null;
        foreach (var c in digits) if (c is < '0' or > '9') return null;
        var value = long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        return plus ? -value : value;
    }
}
