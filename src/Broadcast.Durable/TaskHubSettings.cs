using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Broadcast.Durable;

/// <summary>The Durable Task engine's settings, read where the Functions host reads them: host.json's
/// <c>extensions.durableTask</c>, overridable by app settings named as the host names them
/// (<c>AzureFunctionsJobHost__extensions__durableTask__hubName</c>, ...). Both forms of the app run one task hub.</summary>
public sealed record TaskHubSettings
{
    /// <summary>The task hub's name as configured; the storage name prefix is put in front of it (several environments, or
    /// test runs, in one account), and the result is what Azure Storage allows: letters and digits, at most 45.</summary>
    public string HubName { get; init; } = "Broadcasts";
    public int PartitionCount { get; init; } = 4;
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan WorkItemQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxConcurrentActivities { get; init; } = 10;
    public int MaxConcurrentOrchestrations { get; init; } = 10;
    public bool ExtendedSessions { get; init; }
    /// <summary>Longer timers are a chain of timers this long (Azure Storage queue messages stay hidden 7 days at most).</summary>
    public TimeSpan MaximumTimerInterval { get; init; } = TimeSpan.FromDays(3);

    private const string Section = "AzureFunctionsJobHost:extensions:durableTask";

    /// <param name="hostJson">host.json's text, if there is one.</param>
    public static TaskHubSettings Read(IConfiguration config, string? hostJson)
    {
        var settings = new TaskHubSettings();
        if (hostJson is not null)
        {
            using var doc = JsonDocument.Parse(hostJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("durableTask", out var durable))
                settings = settings.With(new ConfigurationBuilder().AddJsonStream(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(durable))).Build());
        }
        return settings.With(config.GetSection(Section));
    }

    /// <summary>This with whatever <paramref name="section"/> sets (the host's property names, case-insensitive).</summary>
    private TaskHubSettings With(IConfiguration section) => this with
    {
        HubName = section["hubName"] is { Length: > 0 } hub ? hub : HubName,
        PartitionCount = section.GetValue("storageProvider:partitionCount", PartitionCount),
        ControlQueueVisibilityTimeout = section.GetValue("storageProvider:controlQueueVisibilityTimeout", ControlQueueVisibilityTimeout),
        WorkItemQueueVisibilityTimeout = section.GetValue("storageProvider:workItemQueueVisibilityTimeout", WorkItemQueueVisibilityTimeout),
        MaxQueuePollingInterval = section.GetValue("storageProvider:maxQueuePollingInterval", MaxQueuePollingInterval),
        MaxConcurrentActivities = section.GetValue("maxConcurrentActivityFunctions", MaxConcurrentActivities),
        MaxConcurrentOrchestrations = section.GetValue("maxConcurrentOrchestratorFunctions", MaxConcurrentOrchestrations),
        ExtendedSessions = section.GetValue("extendedSessionsEnabled", ExtendedSessions),
        MaximumTimerInterval = section.GetValue("maximumTimerInterval", MaximumTimerInterval),
    };

    /// <summary>The task hub's name in storage: the prefix and the name, letters and digits only, starting with a letter.</summary>
    public string TaskHubName(string storagePrefix)
    {
        var name = new string((storagePrefix + HubName).Where(char.IsAsciiLetterOrDigit).ToArray());
        if (name.Length == 0 || !char.IsAsciiLetter(name[0])) name = "h" + name;
        return name.Length <= 45 ? name : name[..45];
    }
}
