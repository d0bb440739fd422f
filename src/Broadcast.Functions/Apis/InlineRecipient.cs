using System.Text.Json;

namespace Broadcast.Functions.Apis;

public sealed record InlineRecipient(string? To, string? Name, JsonElement? Variables);
