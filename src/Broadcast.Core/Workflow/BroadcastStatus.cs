namespace Broadcast.Core.Workflow;

public static class BroadcastStatus
{
    public const string Scheduled = "scheduled";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Canceled = "canceled";
    public const string Failed = "failed";

    public static bool IsFinished(string status) => status is Completed or Canceled or Failed;
}

public static class RecipientStatus
{
    public const string Queued = "queued";
    /// <summary>Handed to the vendor, answer not yet recorded (at_most_once intent); shown as queued.</summary>
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> Listed = [Queued, Sent, Failed, Canceled, Unknown];

    public static bool IsTerminal(string status) => status is Sent or Failed or Canceled or Unknown;
}
