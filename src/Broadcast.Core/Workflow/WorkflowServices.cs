using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Suppressions;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Broadcast.Core.Workflow;

/// <summary>The workflow and everything it stands on, registered once for the app and for the unit tests alike.</summary>
public static class WorkflowServices
{
    /// <summary>Expects <see cref="IStorage"/>, <see cref="StorageNames"/>, <see cref="VendorRegistry"/> and the Durable
    /// Task client's <see cref="DurableClientSource"/>, and reads
    /// its settings from the options <see cref="WorkflowOptions"/>, <see cref="MessagingOptions"/>,
    /// <see cref="PacingOptions"/> and <see cref="CallbackOptions"/>. The clock is <see cref="TimeProvider.System"/>
    /// unless one was registered before.</summary>
    public static IServiceCollection AddBroadcastWorkflow(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WorkflowOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PacingOptions>>().Value);
        services.AddOptions<Campaigns.NotificationOptions>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Campaigns.NotificationOptions>>().Value);
        services.AddSingleton(sp => new Campaigns.CompletionWebhook(sp.GetRequiredService<Campaigns.NotificationOptions>()));
        services.TryAddSingleton<Campaigns.IFinalStateBody, Campaigns.MinimalFinalStateBody>();
        services.AddSingleton(sp => sp.GetRequiredService<IStorage>().Tables);
        services.AddSingleton(sp => new RecipientSetReader(sp.GetRequiredService<IStorage>().Blobs));
        services.AddSingleton<BroadcastStore>();
        services.AddSingleton<BatchStore>();
        services.AddSingleton<RecipientLog>();
        services.AddSingleton<ChannelPacers>();
        services.AddSingleton<RecipientWindow>();
        services.AddSingleton<RecipientInterval>();
        services.AddSingleton(sp =>
        {
            var m = sp.GetRequiredService<IOptions<MessagingOptions>>().Value;
            return new RetryPolicy(Math.Max(1, m.MaxAttempts), m.RetryBaseDelay, m.RetryMaxDelay);
        });
        services.AddSingleton<VendorSender>();
        services.AddSingleton<ProgressReports>();
        services.AddSingleton<BroadcastCompletions>();
        services.AddSingleton<BroadcastInstances>();
        services.AddSingleton<WorkflowShutdown>();
        services.AddSingleton<AtMostOnceWindow>();
        services.AddSingleton<Campaigns.SpeedCaps>();
        services.AddSingleton<BatchSending>();
        services.AddSingleton<FastPathRuns>();
        services.AddSingleton<CancelWatch>();
        services.AddSingleton<SuppressionList>();
        services.AddSingleton<Templates.TemplateRegistry>();
        services.AddSingleton<MessageIndex>();
        services.AddSingleton<ReceiptStore>();
        services.AddSingleton(sp => new CallbackProcessor(sp.GetRequiredService<MessageIndex>(), sp.GetRequiredService<ReceiptStore>(),
            sp.GetRequiredService<BatchStore>(), sp.GetRequiredService<BroadcastStore>(), sp.GetRequiredService<SuppressionList>(),
            sp.GetRequiredService<IOptions<CallbackOptions>>().Value.Keywords, sp.GetRequiredService<IOptions<MessagingOptions>>().Value.DefaultCountryCode));
        services.AddSingleton<BroadcastWorkflow>();
        services.AddSingleton(sp => new BroadcastIntake(
            sp.GetRequiredService<IStorage>(), sp.GetRequiredService<StorageNames>(), sp.GetRequiredService<BroadcastStore>(),
            sp.GetRequiredService<BroadcastWorkflow>(), sp.GetRequiredService<VendorRegistry>(), sp.GetRequiredService<WorkflowOptions>(),
            sp.GetRequiredService<TimeProvider>(), () => sp.GetService<IUploadCatalog>(), sp.GetRequiredService<Campaigns.NotificationOptions>()));
        services.AddSingleton<BroadcastResend>();
        return services;
    }
}
