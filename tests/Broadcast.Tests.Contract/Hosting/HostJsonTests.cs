using Broadcast.Functions.Hosting;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Broadcast.Durable;

namespace Broadcast.Tests.Contract.Hosting;

/// <summary>host.json: the custom handler, the extension bundle, and the task hub the standalone engine runs too.</summary>
public sealed class HostJsonTests
{
    private static JsonElement HostJson() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json"))).RootElement.Clone();

    [Fact]
    public void Host_json_runs_the_app_as_a_custom_handler_forwarding_http_with_the_v4_bundle()
    {
        var host = HostJson();
        Assert.Equal("2.0", host.Str("version"));
        var handler = host.GetProperty("customHandler");
        Assert.Equal("Broadcast.Functions", handler.GetProperty("description").Str("defaultExecutablePath"));
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.GetProperty("extensionBundle").Str("id"));
        Assert.Equal("[4.*, 5.0.0)", host.GetProperty("extensionBundle").Str("version"));
        Assert.Equal(HttpFunctionRoutes.Prefix, host.GetProperty("extensions").GetProperty("http").Str("routePrefix"));
        Assert.Equal(JsonValueKind.Object, host.GetProperty("logging").GetProperty("logLevel").ValueKind);
        Assert.True(TimeSpan.Parse(host.Str("functionTimeout")) >= TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void The_task_hub_settings_are_read_from_host_json_and_bring_a_restarted_instance_back_within_a_minute()
    {
        var durable = HostJson().GetProperty("extensions").GetProperty("durableTask");
        var settings = TaskHubSettings.Read(new ConfigurationBuilder().Build(), File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));

        Assert.Equal(durable.Str("hubName"), settings.HubName);
        Assert.Equal("AzureStorage", durable.GetProperty("storageProvider").Str("type"));
        Assert.Equal(durable.GetProperty("storageProvider").GetProperty("partitionCount").GetInt32(), settings.PartitionCount);
        Assert.Equal(durable.GetProperty("maxConcurrentActivityFunctions").GetInt32(), settings.MaxConcurrentActivities);
        // A batch activity of a SIGKILLed instance is run again once its work item's visibility ends (the backend's
        // default is 5 minutes): well within a minute, with a poll to spare.
        Assert.InRange(settings.WorkItemQueueVisibilityTimeout, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(45));
        Assert.InRange(settings.ControlQueueVisibilityTimeout, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(45));
        Assert.InRange(settings.MaxQueuePollingInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        Assert.InRange(HostJson().GetProperty("extensions").GetProperty("blobs").GetProperty("maxDegreeOfParallelism").GetInt32(), 1, 8);
        Assert.False(HostJson().GetProperty("extensions").TryGetProperty("queues", out _)); // no queue triggers any more
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")), Broadcast.Functions.Extensions.HostJson()); // the app carries this one
    }

    [Fact]
    public void App_settings_override_host_json_as_the_Functions_host_lets_them()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = "Other",
            ["AzureFunctionsJobHost:extensions:durableTask:storageProvider:workItemQueueVisibilityTimeout"] = "00:00:12",
        }).Build();
        var settings = TaskHubSettings.Read(config, File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        Assert.Equal("Other", settings.HubName);
        Assert.Equal(TimeSpan.FromSeconds(12), settings.WorkItemQueueVisibilityTimeout);
        Assert.Equal("t1Other", settings.TaskHubName("t1-"));
    }
}
