namespace Broadcast.Core.Messaging;

/// <summary>What is sent: a text, a Khoros event, or a template. Per-recipient variables live on the recipient.</summary>
public sealed record MessageContent(string? Text, string? Event, TemplateSpec? Template);
