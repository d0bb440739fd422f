namespace Broadcast.Core.Workflow;

public static class RecipientStatus
{
    /// <summary>Waiting for its turn (or its start, window or the vendor's pace).</summary>
    public const string Queued = "queued";
    /// <summary>Handed to the vendor, answer not yet recorded (at_most_once intent); shown as queued.</summary>
    public const string Sending = "sending";
    /// <summary>The vendor accepted it.</summary>
    public const string Sent = "sent";
    /// <summary>The vendor refused it, or its retries ran out (after every fallback provider).</summary>
    public const string Failed = "failed";
    /// <summary>The broadcast was canceled before its turn.</summary>
    public const string Canceled = "canceled";
    /// <summary>Under at_most_once, an answer that may mean it was delivered: never called again.</summary>
    public const string Unknown = "unknown";
    /// <summary>On the suppression list (the number asked to stop): never sent.</summary>
    public const string Suppressed = "suppressed";
    /// <summary>Not sent by the broadcast's expires_at: never sent afterwards.</summary>
    public const string Expired = "expired";
    /// <summary>Vendor callbacks move a sent message forward: sent → delivered → read, never back.</summary>
    public const string Delivered = "delivered";
    public const string Read = "read";

    public static readonly IReadOnlyList<string> Listed = [Queued, Sent, Delivered, Read, Failed, Canceled, Unknown, Suppressed, Expired];

    public static bool IsTerminal(string status) => status is Sent or Delivered or Read or Failed or Canceled or Unknown or Suppressed or Expired;

    /// <summary>Counted in total_sent: the vendor took it (delivery and read receipts come later).</summary>
    public static bool IsSent(string status) => status is Sent or Delivered or Read;

    /// <summary>Where a status stands on the way sent → delivered → read; 0 for the rest.</summary>
    public static int Progress(string status) => status switch { Sent => 1, Delivered => 2, Read => 3, _ => 0 };
}
