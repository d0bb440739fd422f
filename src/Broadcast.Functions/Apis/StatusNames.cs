using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>A broadcast's status as the API writes it (snake_case: "scheduled", "running", ...): the core's
/// <see cref="BroadcastStatus"/> words, typed, so the OpenAPI document lists them and clients get an enum.</summary>
public enum BroadcastStatusName { Scheduled, Running, Waiting, Canceling, Completed, Canceled, Failed }

/// <summary>A recipient's status as the API writes it: the core's <see cref="RecipientStatus"/> words that a caller
/// sees (an at-most-once send in flight, "sending", is shown as queued).</summary>
public enum RecipientStatusName { Queued, Sent, Delivered, Read, Failed, Canceled, Unknown, Suppressed }

public static class StatusNames
{
    /// <summary>Every core status word has its name (a unit test checks it, so a new core status cannot slip out unnamed).</summary>
    public static BroadcastStatusName Of(string broadcastStatus) => Enum.Parse<BroadcastStatusName>(broadcastStatus, ignoreCase: true);

    public static RecipientStatusName OfRecipient(string recipientStatus) =>
        recipientStatus == RecipientStatus.Sending ? RecipientStatusName.Queued : Enum.Parse<RecipientStatusName>(recipientStatus, ignoreCase: true);
}
