namespace Broadcast.Core.Workflow;

/// <summary>Counts of recipient outcomes; the fan-in adds one per batch. <paramref name="Failover"/> counts the
/// recipients sent through more than one provider (each is also counted once by its final outcome).</summary>
public sealed record Tally(long Sent = 0, long Failed = 0, long Canceled = 0, long Unknown = 0, long Suppressed = 0, long Failover = 0, long Expired = 0)
{
    public static readonly Tally None = new();

    public long Total => Sent + Failed + Canceled + Unknown + Suppressed + Expired;

    public static Tally operator +(Tally a, Tally b) =>
        new(a.Sent + b.Sent, a.Failed + b.Failed, a.Canceled + b.Canceled, a.Unknown + b.Unknown, a.Suppressed + b.Suppressed, a.Failover + b.Failover,
            a.Expired + b.Expired);

    /// <summary>The terminal outcomes among <paramref name="outcomes"/> (queued and sending count nowhere).</summary>
    public static Tally Of(IEnumerable<RecipientOutcome> outcomes)
    {
        long sent = 0, failed = 0, canceled = 0, unknown = 0, suppressed = 0, failover = 0, expired = 0;
        foreach (var o in outcomes)
        {
            if (o.FailedOver && RecipientStatus.IsTerminal(o.Status)) failover++;
            switch (o.Status)
            {
                case RecipientStatus.Sent or RecipientStatus.Delivered or RecipientStatus.Read: sent++; break;
                case RecipientStatus.Failed: failed++; break;
                case RecipientStatus.Canceled: canceled++; break;
                case RecipientStatus.Unknown: unknown++; break;
                case RecipientStatus.Suppressed: suppressed++; break;
                case RecipientStatus.Expired: expired++; break;
            }
        }
        return new Tally(sent, failed, canceled, unknown, suppressed, failover, expired);
    }
}
