using System.Diagnostics;
using Broadcast.Core.Callbacks;
using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Storage;
using Broadcast.Core.Vendors;
using Broadcast.Core.Workflow;
using Broadcast.Tests.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>The product's workflow, as registered in the app (<see cref="WorkflowServices"/>), on the in-memory
/// storage and a fake clock, with a scripted vendor. Instances share storage, clock and vendor like app instances
/// share an account; the driver hands queued work items to the live ones through the listeners' own
/// <see cref="WorkItemRunner"/>, moves the clock while steps wait, and jumps it to the next timer when all is idle.</summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    /// <summary>The clock moves this much each time the running steps have had a moment: small against every
    /// wait the workflow makes (commits every 500 ms, pacing, backoff), large enough to get through hours quickly.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);

    /// <summary>Real time a test may take before the driver says what it is stuck on.</summary>
    private static readonly TimeSpan RealDeadline = TimeSpan.FromSeconds(60);

    private readonly Action<WorkflowOptions>? _workflow;
    private readonly Action<MessagingOptions>? _messaging;
    private readonly List<Instance> _instances = [];
    private readonly List<Task> _running = [];
    private int _nextInstance;

    public WorkflowHarness(Action<WorkflowOptions>? workflow = null, Action<MessagingOptions>? messaging = null)
    {
        _workflow = workflow;
        _messaging = messaging;
        Vendor = new ScriptedVendor(Time);
        Storage = new InMemoryStorage(Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    public InMemoryStorage Storage { get; }
    public ScriptedVendor Vendor { get; }
    public StorageNames Names { get; } = new("unit");

    /// <summary>One app instance: its own workflow objects (owner id, pacing share, caches) on the shared parts.</summary>
    public sealed class Instance(ServiceProvider services) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public ServiceProvider Services => services;
        public BroadcastIntake Intake => services.GetRequiredService<BroadcastIntake>();
        public BroadcastWorkflow Workflow => services.GetRequiredService<BroadcastWorkflow>();
        public WorkflowSteps Steps => services.GetRequiredService<WorkflowSteps>();
        public WorkflowOptions Options => services.GetRequiredService<WorkflowOptions>();
        public CancellationToken Stopping => _stopping.Token;
        public bool Alive => !_stopping.IsCancellationRequested;

        /// <summary>The process dies: its steps stop where they are, nothing is deleted or committed after this.</summary>
        public void Crash() => _stopping.Cancel();

        public async ValueTask DisposeAsync()
        {
            _stopping.Cancel();
            await services.DisposeAsync();
        }
    }

    public Instance StartInstance()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IStorage>(Storage);
        services.AddSingleton(Names);
        services.AddSingleton(new VendorRegistry([Vendor]));
        services.Configure<WorkflowOptions>(o =>
        {
            o.FastPath = false; // every broadcast goes through the queues, where the driver sees it
            o.BatchSize = 100;
            _workflow?.Invoke(o);
        });
        services.Configure<MessagingOptions>(o => _messaging?.Invoke(o));
        services.Configure<PacingOptions>(_ => { });
        services.Configure<CallbackOptions>(_ => { });
        services.AddBroadcastWorkflow();
        var instance = new Instance(services.BuildServiceProvider());
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
        await instance.Services.GetRequiredService<AcceptCommits>().SettledAsync(); // its start item is on the queue
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

    /// <summary>Runs the queues until <paramref name="done"/> holds for the broadcast (by default: it finished and
    /// no step is still running), or the fake clock reaches <paramref name="until"/>. Steps still running when it
    /// returns wait, frozen in fake time, for the next call.</summary>
    public async Task<BroadcastRecord> RunAsync(string id, Func<BroadcastRecord, bool>? done = null, DateTimeOffset? until = null)
    {
        done ??= r => BroadcastStatus.IsFinished(r.Status) && _running.Count == 0;
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (started.Elapsed > RealDeadline)
                throw new TimeoutException($"still running at {Time.GetUtcNow():O}: {(await GetAsync(id))?.Status}, {_running.Count} steps");
            foreach (var failed in _running.Where(t => t.IsFaulted)) await failed; // a runner never throws: this is a bug
            _running.RemoveAll(t => t.IsCompleted);

            var received = 0;
            if (_instances.Any(i => i.Alive))
                foreach (var (queueName, step) in Queues())
                {
                    var queue = Storage.Queue(queueName);
                    foreach (var message in await queue.ReceiveAsync(32, _instances[0].Options.VisibilityTimeout, default))
                    {
                        var instance = Live();
                        var run = step(instance);
                        received++;
                        _running.Add(Task.Run(() => WorkItemRunner.RunAsync(queue, message, run, instance.Options, Time,
                            NullLogger.Instance, instance.Stopping)));
                    }
                }
            if (received > 0) continue;

            var record = await GetAsync(id) ?? throw new InvalidOperationException($"no broadcast {id}");
            if (done(record) || Time.GetUtcNow() >= until) return record;
            if (_running.Count > 0)
            {
                await Task.WhenAny(Task.WhenAll(_running), Task.Delay(1));
                Time.Advance(Tick);
                continue;
            }
            if (!_instances.Any(i => i.Alive)) return record; // every instance died: the rest waits for a new one
            // Idle: nothing runs and nothing is visible, so nothing happens before the next timer.
            var next = Storage.NextVisibleAt() ?? throw new InvalidOperationException($"nothing left to run, broadcast {record.Status}");
            if (until is { } limit && next > limit) next = limit;
            if (next > Time.GetUtcNow()) Time.SetUtcNow(next);
            else Time.Advance(Tick);
        }
    }

    private IEnumerable<(string Queue, Func<Instance, Func<string, IWorkItemLease, CancellationToken, Task>> Step)> Queues() =>
    [
        (Names.StartQueue, i => i.Steps.RunStartAsync),
        (Names.BatchQueue, i => i.Steps.RunBatchAsync),
    ];

    /// <summary>The live instances take work items in turn.</summary>
    private Instance Live()
    {
        var live = _instances.Where(i => i.Alive).ToList();
        if (live.Count == 0) throw new InvalidOperationException("no live instance");
        return live[_nextInstance++ % live.Count];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var i in _instances) await i.DisposeAsync();
    }
}
