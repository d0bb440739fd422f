using Broadcast.Functions.Hosting;
using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure;
using Broadcast.Tests.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Azure.Storage.Queues;

namespace Broadcast.Tests.Contract.Hosting;

/// <summary>host.json: the custom handler, the extension bundle, and queue settings that agree with the workflow.</summary>
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
    public void Queue_settings_agree_with_the_workflow()
    {
        var workflow = new WorkflowOptions();
        var queues = HostJson().GetProperty("extensions").GetProperty("queues");

        // One more delivery than the workflow's MaxDequeueCount, so its own give-up (recipients failed with the
        // reason) runs on the last one rather than the message silently going to the poison queue.
        Assert.Equal(workflow.MaxDequeueCount + 1, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(workflow.MaxConcurrentBatches, queues.GetProperty("batchSize").GetInt32() + queues.GetProperty("newBatchThreshold").GetInt32());
        Assert.InRange(queues.GetProperty("batchSize").GetInt32(), 1, 32);
        var retryDelay = TimeSpan.Parse(queues.Str("visibilityTimeout"));
        Assert.InRange(retryDelay, workflow.RetryDelay, workflow.VisibilityTimeout);
        Assert.InRange(TimeSpan.Parse(queues.Str("maxPollingInterval")), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        Assert.Equal("base64", queues.Str("messageEncoding"));
        Assert.InRange(HostJson().GetProperty("extensions").GetProperty("blobs").GetProperty("maxDegreeOfParallelism").GetInt32(), 1, 8);
    }

    [Fact]
    public async Task The_apps_queue_messages_are_base64_as_host_json_tells_the_host()
    {
        await using var app = await TestApp.StartAsync(FunctionsHostDriver.HostMode());
        var names = app.Services.GetRequiredService<StorageNames>();
        var item = new BatchWorkItem("b-encoding", 3).ToJson();
        await app.Services.GetRequiredService<IStorage>().Queue(names.BatchQueue).EnqueueAsync(item, TimeSpan.Zero, CancellationToken.None);

        // A client with no encoding of its own reads the bytes on the wire.
        var raw = new QueueClient(app.Services.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"], names.BatchQueue,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var message = (await raw.PeekMessageAsync()).Value;
        Assert.Equal(item, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())));
    }
}
