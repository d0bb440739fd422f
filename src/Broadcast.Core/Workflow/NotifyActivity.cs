using Broadcast.Core.Campaigns;
using Broadcast.Core.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Broadcast.Core.Workflow;

/// <summary>Step 6 of <see cref="BroadcastOrchestration"/>: a finished broadcast with a notify_url tells it its final
/// state (<see cref="CompletionWebhook"/>). Fails on anything but a 2xx; the orchestration's retry policy tries again
/// with backoff for Notifications__RetryFor (24 h).</summary>
public sealed class NotifyActivity(BroadcastStore broadcasts, CompletionWebhook webhook, IFinalStateBody bodies, WorkflowShutdown shutdown,
    ILogger<NotifyActivity> log) : TaskActivity<string, string>
{
    public const string Sent = "sent";
    public const string Nothing = "nothing";

    public override async Task<string> RunAsync(TaskActivityContext context, string broadcastId)
    {
        using var scope = log.BeginBroadcastScope(broadcastId);
        var record = await broadcasts.GetAsync(broadcastId, shutdown.Stopping);
        if (record?.Definition.Run.NotifyUrl is not { } url || record.CompletedAt is null) return Nothing;
        try
        {
            await webhook.DeliverAsync(record.Id, url, bodies.Of(record), shutdown.Stopping);
        }
        catch (Exception e) when (e is WebhookFailedException or InvalidOperationException)
        {
            log.LogWarning("Broadcast {Broadcast}: its completion webhook was not delivered ({Error}); retried later", broadcastId, e.Message);
            throw;
        }
        log.LogInformation("Broadcast {Broadcast}: completion webhook delivered", broadcastId);
        return Sent;
    }
}
