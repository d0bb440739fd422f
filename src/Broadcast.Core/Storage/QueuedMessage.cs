namespace Broadcast.Core.Storage;

public sealed record QueuedMessage(string Id, string PopReceipt, string Content, int DequeueCount);
