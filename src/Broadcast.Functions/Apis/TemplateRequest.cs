using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record TemplateRequest(
    string? Name,
    JsonElement? Id,
    string? Namespace,
    string? Language,
    JsonElement? Variables,
    IReadOnlyList<ButtonRequest?>? Buttons);
