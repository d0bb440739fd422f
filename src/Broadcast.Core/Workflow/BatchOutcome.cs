namespace Broadcast.Core.Workflow;

/// <summary>What a batch activity answers: the batch's committed outcomes counted, and, when the messaging limit
/// holds some recipients back, when it may go on (the batch is not done until it is called again then).</summary>
public sealed record BatchOutcome(Tally Tally, DateTime? ResumesAt = null)
{
    public bool Done => ResumesAt is null;
}
