using Broadcast.Core.Messaging;

namespace Broadcast.Core.Callbacks;

/// <summary>A vendor saying what became of a message it took.</summary>
public sealed record StatusCallback(Provider Provider, string? ProviderMessageId, string? PhoneNumber, string Status);
