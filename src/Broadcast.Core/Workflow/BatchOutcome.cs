namespace Broadcast.Core.Workflow;

/// <summary>What a batch activity answers: the batch's committed outcomes counted, and, when some recipients are held
/// back (the messaging limit, the delivery window), when it may go on (the batch is not done until it is called again
/// then): <paramref name="ResumesAt"/> by the app's clock, and <paramref name="Wait"/>, how long that was from when the
/// activity answered, which the orchestration adds to its own clock (the engine's timers keep the engine's time).</summary>
public sealed record BatchOutcome(Tally Tally, DateTime? ResumesAt = null, TimeSpan? Wait = null)
{
    public bool Done => ResumesAt is null;

    /// <summary>When the orchestration wakes the batch, on the engine's clock (<paramref name="now"/>, the
    /// orchestration's deterministic time); an outcome of an older run has only <see cref="ResumesAt"/>.</summary>
    public DateTime? WakeAt(DateTime now) => Wait is { } wait ? now + (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : ResumesAt;
}
