namespace Broadcast.Core.Pacing;

/// <summary>Which of a batch's recipients may go now under the channel's messaging limit, and when the others can.</summary>
/// <param name="Held">Indexes (into the batch) of recipients that must wait.</param>
/// <param name="ResumesAt">When enough of the window frees up for the held ones; null when none is held.</param>
public sealed record Admission(IReadOnlySet<int> Held, DateTimeOffset? ResumesAt)
{
    public static readonly Admission Everyone = new(new HashSet<int>(), null);
}
