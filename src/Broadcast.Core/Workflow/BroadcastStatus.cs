namespace Broadcast.Core.Workflow;

public static class BroadcastStatus
{
    public const string Scheduled = "scheduled";
    public const string Running = "running";
    /// <summary>Running, but held by the channel's messaging limit until resumes_at.</summary>
    public const string Waiting = "waiting";
    /// <summary>Cancel was asked for: sends have stopped, and the batches still sending are being settled.
    /// Becomes <see cref="Canceled"/> once every recipient has its final outcome.</summary>
    public const string Canceling = "canceling";
    public const string Completed = "completed";
    public const string Canceled = "canceled";
    public const string Failed = "failed";

    /// <summary>Terminal: every recipient has its final outcome and the counters never change again.</summary>
    public static bool IsFinished(string status) => status is Completed or Canceled or Failed;

    /// <summary>Cancel was asked for (settling or settled): nothing more may be sent.</summary>
    public static bool IsCancelRequested(string status) => status is Canceling or Canceled;

    /// <summary>Started and not finished: batches are out (some may wait for the messaging limit).</summary>
    public static bool IsActive(string status) => status is Running or Waiting;
}
