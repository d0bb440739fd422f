using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Core.Vendors;
using Broadcast.Core.Workflow;
using Broadcast.Durable;
using Broadcast.Tests.Infrastructure.Storage;
using DurableTask.Core;
using Broadcast.Core.Recipients;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>The product's workflow as the app registers it (<see cref="WorkflowServices"/>, the standalone engine of
/// <see cref="DurableRegistration"/>), on the Durable Task test host's in-memory backend and the in-memory storage,
/// with a scripted vendor: the real orchestrations and activities, replayed by the real DurableTask.Core, without a
/// socket or a file. Instances share the backend, storage and vendor as app instances share an account.</summary>
public sealed class DurableHarness : IAsyncDisposable
{
    /// <summary>Real time a test may wait for a broadcast before saying what it is stuck on.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly Action<WorkflowOptions>? _workflow;
    private readonly Action<MessagingOptions>? _messaging;
    private readonly Dictionary<string, string?> _settings;
    private readonly List<Instance> _instances = [];

    /// <param name="time">The clock of the product's own waits (pacing, retries, commits); the engine's timers are on
    /// real time, so a test that waits for one keeps the system clock.</param>
    /// <param name="maximumTimerInterval">Longer durable timers are chains of timers this long (3 days in the app).</param>
    public DurableHarness(Action<WorkflowOptions>? workflow = null, Action<MessagingOptions>? messaging = null, TimeProvider? time = null,
        TimeSpan? maximumTimerInterval = null)
    {
        _workflow = workflow;
        _messaging = messaging;
        Time = time ?? TimeProvider.System;
        Vendor = new ScriptedVendor(Time);
        Storage = new InMemoryStorage(Time);
        _settings = new() { ["AzureFunctionsJobHost:extensions:durableTask:maximumTimerInterval"] = (maximumTimerInterval ?? TimeSpan.FromDays(3)).ToString() };
    }

    public TimeProvider Time { get; }
    public RecordingBackend Backend { get; } = new();
    public InMemoryStorage Storage { get; }
    public ScriptedVendor Vendor { get; }
    public StorageNames Names { get; } = new("unit");

    /// <summary>A broadcast store on no engine at all, for tests of the store alone.</summary>
    public static BroadcastInstances NoInstances() =>
        new(new EngineDurableTaskClient("unit", new InMemoryOrchestrationService(NullLoggerFactory.Instance), JsonDataConverter.Default));

    /// <summary>One app instance: its own workflow objects and engine worker on the shared parts.</summary>
    public sealed class Instance(ServiceProvider services) : IAsyncDisposable
    {
        private bool _stopped;

        public ServiceProvider Services => services;
        public BroadcastIntake Intake => services.GetRequiredService<BroadcastIntake>();
        public BroadcastWorkflow Workflow => services.GetRequiredService<BroadcastWorkflow>();
        public bool Alive => !_stopped;

        internal async Task StartAsync()
        {
            foreach (var hosted in services.GetServices<IHostedService>()) await hosted.StartAsync(default);
        }

        /// <summary>The process dies: its sends stop where they are and it takes no more work.</summary>
        public async Task CrashAsync()
        {
            if (_stopped) return;
            _stopped = true;
            services.GetRequiredService<WorkflowShutdown>().Stop();
            using var now = new CancellationTokenSource();
            await now.CancelAsync(); // no grace: stop at once
            foreach (var hosted in services.GetServices<IHostedService>()) await hosted.StopAsync(now.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await CrashAsync();
            await services.DisposeAsync();
        }
    }

    public async Task<Instance> StartInstanceAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Time);
        services.AddSingleton<IStorage>(Storage);
        services.AddSingleton(Names);
        services.AddSingleton(new VendorRegistry([Vendor]));
        services.Configure<WorkflowOptions>(o =>
        {
            o.FastPath = false; // every broadcast goes through its orchestration
            o.BatchSize = 100;
            o.RetryDelay = TimeSpan.FromMilliseconds(100);
            _workflow?.Invoke(o);
        });
        services.Configure<MessagingOptions>(o => _messaging?.Invoke(o));
        services.Configure<PacingOptions>(_ => { });
        services.Configure<CallbackOptions>(_ => { });
        services.AddBroadcastWorkflow();
        services.AddStandaloneDurableEngine(new ConfigurationBuilder().AddInMemoryCollection(_settings).Build(), hostJson: null, _ => Backend);
        var instance = new Instance(services.BuildServiceProvider());
        await instance.StartAsync();
        _instances.Add(instance);
        return instance;
    }

    public static string Phone(int i) => $"62812{i:D7}";

    /// <summary>Accepts a broadcast of <paramref name="recipients"/> as the API would.</summary>
    public async Task<BroadcastRecord> AcceptAsync(int recipients, DateTimeOffset? startAt = null,
        DeliveryGuarantee delivery = DeliveryGuarantee.AtLeastOnce, Instance? on = null)
    {
        var instance = on ?? _instances.First(i => i.Alive);
        var list = Enumerable.Range(1, recipients).Select(i => new Recipient(i, Phone(i), null, [])).ToList();
        var request = new NewBroadcast("unit", Provider.Omnichat, new MessageContent("hello", null, null), null, false, delivery, false,
            startAt, null, list, [], SingleMessage: false);
        var (record, created) = await instance.Intake.CreateAsync(request, null, "", default);
        Assert.True(created);
        return record;
    }

    public Task<BroadcastRecord?> GetAsync(string id) => _instances[0].Services.GetRequiredService<BroadcastStore>().GetAsync(id, default);

    public async Task<IReadOnlyList<RecipientView>> RecipientsAsync(string id)
    {
        var record = await GetAsync(id) ?? throw new InvalidOperationException($"no broadcast {id}");
        var log = _instances[0].Services.GetRequiredService<RecipientLog>();
        var all = new List<RecipientView>();
        await foreach (var r in log.AllAsync(record, default)) all.Add(r);
        return all;
    }

    /// <summary>Waits until <paramref name="done"/> holds for the broadcast (by default: it finished and its
    /// orchestration completed), polling with a deadline.</summary>
    public async Task<BroadcastRecord> WaitAsync(string id, Func<BroadcastRecord, bool>? done = null)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var record = await GetAsync(id) ?? throw new InvalidOperationException($"no broadcast {id}");
            if (done is null ? BroadcastStatus.IsFinished(record.Status) && await CompletedAsync(id) : done(record)) return record;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"broadcast {id} still {record.Status}, {record.Counters}");
            await Task.Delay(20);
        }
    }

    public async Task<bool> CompletedAsync(string instanceId) =>
        (await Backend.GetOrchestrationStateAsync(instanceId, false))?.FirstOrDefault()?.OrchestrationStatus == OrchestrationStatus.Completed;

    /// <summary>Accepts a broadcast of <paramref name="recipients"/> beyond the API's inline limit, as an upload would
    /// give it: its recipient list written to blob storage first.</summary>
    public async Task<BroadcastRecord> AcceptLargeAsync(int recipients)
    {
        var instance = _instances.First(i => i.Alive);
        var options = instance.Services.GetRequiredService<WorkflowOptions>();
        var id = BroadcastStore.NewId(Time.GetUtcNow());
        var location = new RecipientSetLocation(Names.BroadcastsContainer, id);
        await using (var writer = await RecipientSetWriter.CreateAsync(Storage.Blobs, location, default))
        {
            for (var i = 1; i <= recipients; i++) await writer.AddAsync(new Recipient(i, Phone(i), null, []), default);
            await writer.CompleteAsync(default);
        }
        var definition = new BroadcastDefinition(id, "unit", Provider.Omnichat, new MessageContent("hello", null, null), new ChannelSpec(), false,
            DeliveryGuarantee.AtLeastOnce, false, null, location, recipients, RecipientSetIndex.DefaultPageSize, options.PagesPerBatch, [], null,
            Time.GetUtcNow(), false);
        return await instance.Workflow.AcceptAsync(definition, default);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var i in _instances) await i.DisposeAsync();
    }
}
