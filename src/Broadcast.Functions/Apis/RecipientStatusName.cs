using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>A recipient's status as the API writes it: the core's <see cref="RecipientStatus"/> words that a caller
/// sees (an at-most-once send in flight, "sending", is shown as queued).</summary>
public enum RecipientStatusName { Queued, Sent, Delivered, Read, Failed, Canceled, Unknown, Suppressed, Expired }
