namespace Broadcast.Core.Storage;

/// <param name="VisibleAgainAt">When the message comes back to other receivers unless extended or deleted (the
/// service's clock); null when not known.</param>
public sealed record QueuedMessage(string Id, string PopReceipt, string Content, int DequeueCount, DateTimeOffset? VisibleAgainAt = null);
