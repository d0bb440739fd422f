using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public static class StatusNames
{
    /// <summary>Every core status word has its name (a unit test checks it, so a new core status cannot slip out unnamed).</summary>
    public static BroadcastStatusName Of(string broadcastStatus) => Enum.Parse<BroadcastStatusName>(broadcastStatus, ignoreCase: true);

    public static RecipientStatusName OfRecipient(string recipientStatus) =>
        recipientStatus == RecipientStatus.Sending ? RecipientStatusName.Queued : Enum.Parse<RecipientStatusName>(recipientStatus, ignoreCase: true);
}
