using System.Text.Json;

namespace Broadcast.Functions.Apis;

public sealed record TemplateRequest(
    string? Name,
    JsonElement? Id,
    string? Namespace,
    string? Language,
    JsonElement? Variables,
    IReadOnlyList<ButtonRequest?>? Buttons);
