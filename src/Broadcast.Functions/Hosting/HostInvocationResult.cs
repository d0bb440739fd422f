using System.Text.Json;
using System.Text.Json.Nodes;

namespace Broadcast.Functions.Hosting;

/// <summary>The custom handler's answer to an invocation: <c>Outputs</c> (none: our functions have no output
/// bindings), <c>Logs</c> (shown in the invocation's logs and Application Insights) and <c>ReturnValue</c>.
/// A non-2xx status makes the host count the invocation as failed, so it retries a queue message per host.json.</summary>
public sealed class HostInvocationResult
{
    // The host reads these names as written; the app's own snake_case JSON options must not apply.
    private static readonly JsonSerializerOptions Wire = new() { PropertyNamingPolicy = null };

    private HostInvocationResult(int status, IReadOnlyList<string> logs)
    {
        Status = status;
        Logs = logs;
    }

    public int Status { get; }
    public IReadOnlyList<string> Logs { get; }

    public static HostInvocationResult Succeeded(params string[] logs) => new(StatusCodes.Status200OK, logs);

    /// <summary>The function failed: the host retries a queue message after host.json's visibilityTimeout.</summary>
    public static HostInvocationResult Failed(params string[] logs) => new(StatusCodes.Status500InternalServerError, logs);

    public static HostInvocationResult Rejected(params string[] logs) => new(StatusCodes.Status400BadRequest, logs);

    public IResult ToHttpResult()
    {
        var body = new JsonObject
        {
            ["Outputs"] = new JsonObject(),
            ["Logs"] = new JsonArray(Logs.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
            ["ReturnValue"] = null,
        };
        return Results.Json(body, Wire, "application/json", Status);
    }
}
