namespace Broadcast.Core.Messaging;

public sealed record TemplateSpec(
    string? Name,
    string? Id,
    string? Namespace,
    string? Language,
    IReadOnlyList<TemplateButton>? Buttons);
