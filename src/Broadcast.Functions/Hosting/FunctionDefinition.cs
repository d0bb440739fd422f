using System.Text.Json;
using System.Text.Json.Nodes;

namespace Broadcast.Functions.Hosting;

/// <summary>One function of the function app: its folder name and its function.json.</summary>
public sealed record FunctionDefinition(string Name, JsonObject FunctionJson)
{
    public string ToJson() => FunctionJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
