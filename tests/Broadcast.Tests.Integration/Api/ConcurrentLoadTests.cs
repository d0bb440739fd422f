using System.Net;
using System.Net.Http.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Api;

/// <summary>A CRM calling in parallel is a normal day: the app must not block threads on storage I/O.</summary>
public sealed class ConcurrentLoadTests
{
    private const int Messages = 100;

    // The app idles at about 25-35 threads. A pool starved by blocking I/O grows by a thread or two per 0.5 s for as
    // long as the calls block (the legacy storage client took it from 21 to 416); asynchronous I/O needs no more.
    private const int ThreadBound = 80;

    [Fact]
    public async Task A_hundred_messages_at_once_are_all_accepted_and_sent_exactly_once_without_growing_the_thread_pool()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        await using var app = await AppProcess.StartAsync(TestApp.NewPrefix(), sandbox.BaseUrl,
            new Dictionary<string, string>
            {
                ["Vendors__Omnichat__RatePerSecond"] = "0",
            });
        var before = app.ThreadCount();

        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, app.ThreadCount());
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, Messages).Select(async i =>
        {
            await start.WaitAsync();
            return await app.Client.PostAsJsonAsync("api/messages", new { provider = "omnichat", to = $"+62812{i:D7}", text = "load" });
        }).ToList();
        start.Release(Messages);
        var responses = await Task.WhenAll(calls);

        foreach (var r in responses)
            Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}\n{app.LogText}");
        await Poll.UntilAsync(() => Task.FromResult(sandbox.State.Deliveries("omnichat").Count), n => n == Messages,
            TimeSpan.FromSeconds(60), "every message at the vendor");
        await sampling.CancelAsync();
        await sampler;

        var deliveries = sandbox.State.Deliveries("omnichat");
        Assert.Equal(Messages, deliveries.Count);
        Assert.All(deliveries.Values, n => Assert.Equal(1, n));
        Assert.True(peak < ThreadBound, $"the thread count grew from {before} to {peak} under {Messages} concurrent calls");
    }
}
