using System.Net;
using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Functions.Drops;

namespace Broadcast.Functions.Hosting;

/// <summary>Under the Functions host only (after checking the function app's function.json files, see
/// <see cref="FunctionManifestCheck"/>): <c>POST /{FunctionName}</c> for the function it triggers itself, the drops
/// container (<see cref="DropInvocation"/>).
/// HTTP functions are forwarded to their <c>/api</c> routes as they are.</summary>
public static class HostInvocationEndpoints
{
    public static void MapFunctionsHostInvocations(this WebApplication app)
    {
        if (!FunctionsHost.IsActive(app.Configuration)) return;
        var names = app.Services.GetRequiredService<StorageNames>();
        var invocations = app.MapGroup("").ExcludeFromDescription().AddEndpointFilter(OnlyFromLoopback);
        var dropsContainer = FunctionsHost.DropsContainer(app.Configuration, names);
        invocations.MapPost("/" + FunctionsHost.DropFunction, (HttpContext c, IServiceProvider services) =>
            DropInvocation.RunAsync(c, dropsContainer, services.GetService<IDropProcessor>()));

        // The host starts its custom handler in the function app's folder.
        FunctionManifestCheck.ThrowIfFunctionAppDiffers(app, Directory.GetCurrentDirectory());
    }

    // Under the host the app listens on loopback only; this keeps the invocation routes closed should that change.
    private static ValueTask<object?> OnlyFromLoopback(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.StatusCode(StatusCodes.Status403Forbidden));

    internal static async Task<(HostInvocation? Invocation, HostInvocationResult? Rejected)> ReadAsync(HttpContext context)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            return (HostInvocation.Parse(body.RootElement), null);
        }
        catch (Exception e) when (e is JsonException or InvalidInvocationException)
        {
            return (null, HostInvocationResult.Rejected($"not a Functions host invocation: {e.Message}"));
        }
    }

    internal static CancellationTokenSource Stopping(HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted,
            context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);

    internal static ILogger Logger(HttpContext context, string function) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Broadcast.Functions." + function);
}
