namespace Broadcast.Tests.Infrastructure;

/// <summary>The system clock moved to another moment: it reads <see cref="Offset"/> away from now and runs at real
/// speed, so an app given it (as its <see cref="TimeProvider"/>) lives at, say, 07:59:55 in Jakarta while every wait
/// and timer keeps its real length. The Durable engine keeps real time: the app hands it waits, not moments.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>From now on the clock reads <paramref name="at"/> (then runs on from there).</summary>
    public void MoveTo(DateTimeOffset at) => Interlocked.Exchange(ref _offsetTicks, (at - System.GetUtcNow()).Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

    /// <summary>The real moment this clock shows as <paramref name="shown"/> (what the sandbox records).</summary>
    public DateTimeOffset Real(DateTimeOffset shown) => shown - Offset;
}
