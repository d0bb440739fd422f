using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record ButtonRequest(string? Type, JsonElement? Values, int? Index);
