using System.Net;
using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Functions.Drops;

namespace Broadcast.Functions;

/// <summary>Under the Functions host only (after checking the function app's function.json files, see
/// <see cref="FunctionManifestCheck"/>): <c>POST /{FunctionName}</c> for the functions it triggers itself (the
/// workflow's queues and the drops container). HTTP functions are forwarded to their <c>/api</c> routes as they are.
/// Queue steps run the very <see cref="WorkflowSteps"/> the standalone listeners run, and answer like them: a step
/// that threw answers 500 so the host retries; a batch another worker holds goes back on its queue until that lease
/// ends (a success for the host, so the wait burns no dequeue count); a message that is not a work item is dropped.</summary>
public static class HostInvocationEndpoints
{
    public static void MapFunctionsHostInvocations(this WebApplication app)
    {
        if (!FunctionsHost.IsActive(app.Configuration)) return;
        var names = app.Services.GetRequiredService<StorageNames>();
        var invocations = app.MapGroup("").ExcludeFromDescription().AddEndpointFilter(OnlyFromLoopback);
        invocations.MapPost("/" + FunctionsHost.StartFunction, (HttpContext c, WorkflowSteps steps) =>
            RunWorkItemAsync(c, FunctionsHost.StartFunction, names.StartQueue, steps.RunStartAsync));
        invocations.MapPost("/" + FunctionsHost.BatchFunction, (HttpContext c, WorkflowSteps steps) =>
            RunWorkItemAsync(c, FunctionsHost.BatchFunction, names.BatchQueue, steps.RunBatchAsync));
        var dropsContainer = FunctionsHost.DropsContainer(app.Configuration, names);
        invocations.MapPost("/" + FunctionsHost.DropFunction, (HttpContext c, IServiceProvider services) =>
            RunDropAsync(c, dropsContainer, services.GetService<IDropProcessor>()));

        // The host starts its custom handler in the function app's folder.
        FunctionManifestCheck.ThrowIfFunctionAppDiffers(app, Directory.GetCurrentDirectory());
    }

    // Under the host the app listens on loopback only; this keeps the invocation routes closed should that change.
    private static ValueTask<object?> OnlyFromLoopback(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.StatusCode(StatusCodes.Status403Forbidden));

    private static async Task<IResult> RunWorkItemAsync(HttpContext context, string function, string queue,
        Func<string, IWorkItemLease, CancellationToken, Task> step)
    {
        var log = Logger(context, function);
        var (invocation, rejected) = await ReadAsync(context);
        if (invocation is null) return rejected!.ToHttpResult();

        string content;
        try
        {
            content = invocation.MessageText(FunctionsHost.WorkItemBinding);
        }
        catch (InvalidInvocationException e)
        {
            return HostInvocationResult.Rejected($"{function}: {e.Message}").ToHttpResult();
        }
        var lease = new HostLease(invocation.MetadataInt("DequeueCount") ?? 1);
        using var stopping = Stopping(context);
        var ct = stopping.Token;
        try
        {
            await step(content, lease, ct);
            return HostInvocationResult.Succeeded($"{function}: done (try {lease.DequeueCount})").ToHttpResult();
        }
        catch (JsonException)
        {
            log.LogError("Queue {Queue}: dropping a work item that is not one of ours", queue);
            return HostInvocationResult.Succeeded($"{function}: dropped a message that is not a work item").ToHttpResult();
        }
        catch (WorkItemBusyException busy)
        {
            var wait = busy.RetryAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500);
            if (wait < TimeSpan.FromSeconds(1)) wait = TimeSpan.FromSeconds(1);
            var storage = context.RequestServices.GetRequiredService<IStorage>();
            await storage.Queue(queue).EnqueueAsync(content, wait, CancellationToken.None);
            return HostInvocationResult.Succeeded($"{function}: another worker holds this batch; back on {queue} in {wait.TotalSeconds:0.#} s").ToHttpResult();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return HostInvocationResult.Failed($"{function}: stopped before the step finished").ToHttpResult();
        }
        catch (Exception e)
        {
            log.LogWarning("Queue {Queue}: work item failed on try {Try}: {Error}", queue, lease.DequeueCount, e.Message);
            return HostInvocationResult.Failed($"{function}: failed on try {lease.DequeueCount}: {e.Message}").ToHttpResult();
        }
    }

    private static async Task<IResult> RunDropAsync(HttpContext context, string container, IDropProcessor? processor)
    {
        const string function = FunctionsHost.DropFunction;
        var log = Logger(context, function);
        var (invocation, rejected) = await ReadAsync(context);
        if (invocation is null) return rejected!.ToHttpResult();

        // The trigger's Data carries the blob's content; the processor streams the blob itself, by name.
        var name = invocation.MetadataString("name") ?? BlobNameFromUri(invocation.MetadataString("Uri"), container);
        if (string.IsNullOrEmpty(name))
            return HostInvocationResult.Rejected($"{function}: the invocation names no blob ('Metadata.name' or 'Metadata.Uri')").ToHttpResult();

        if (processor is null) return HostInvocationResult.Failed($"{function}: no drop processor is registered").ToHttpResult();
        using var stopping = Stopping(context);
        try
        {
            var result = await processor.ProcessAsync(name, stopping.Token);
            var said = $"{function}: {name}: {result.Outcome}" + (result.BroadcastId is null ? "" : $" (broadcast {result.BroadcastId})")
                + (result.Detail is null ? "" : $": {result.Detail}");
            // "waiting" means the drop is not complete yet: failing makes the host try it again later.
            return result.Outcome == "waiting" ? HostInvocationResult.Failed(said).ToHttpResult() : HostInvocationResult.Succeeded(said).ToHttpResult();
        }
        catch (Exception e)
        {
            log.LogWarning("Drop {Blob} failed: {Error}", name, e.Message);
            return HostInvocationResult.Failed($"{function}: {name}: failed: {e.Message}").ToHttpResult();
        }
    }

    private static async Task<(HostInvocation? Invocation, HostInvocationResult? Rejected)> ReadAsync(HttpContext context)
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

    /// <summary>".../devstoreaccount1/broadcast-drops/in/a%20b.csv" → "in/a b.csv".</summary>
    internal static string? BlobNameFromUri(string? uri, string container)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) return null;
        var path = parsed.AbsolutePath;
        var marker = "/" + container + "/";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : Uri.UnescapeDataString(path[(at + marker.Length)..]);
    }

    private static CancellationTokenSource Stopping(HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted,
            context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);

    private static ILogger Logger(HttpContext context, string function) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Broadcast.Functions." + function);
}
