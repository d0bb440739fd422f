using System.Text.Json;

namespace Broadcast.Functions.Apis;

public sealed record ButtonRequest(string? Type, JsonElement? Values, int? Index);
