using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

public sealed record InlineRecipient(string? To, string? Name, JsonElement? Variables);
