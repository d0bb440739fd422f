namespace Broadcast.Core.Workflow;

/// <summary>The external events a broadcast's orchestrations wait for.</summary>
public static class BroadcastEvents
{
    /// <summary>Raised by a cancel on the broadcast's instance, forwarded down its tree of batch ranges.</summary>
    public const string Cancel = "cancel";

    /// <summary>The accepting instance sent the broadcast itself (the fast path); its payload is the final tally.</summary>
    public const string SentHere = "sent-here";

    /// <summary>The fast path stopped before the end (the messaging limit holds recipients back, its deadline, a
    /// failure): the orchestration goes on at once instead of waiting out the head start.</summary>
    public const string HandedOver = "handed-over";
}
