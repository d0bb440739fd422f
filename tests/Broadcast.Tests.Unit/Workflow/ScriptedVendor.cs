using System.Collections.Concurrent;
using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;
using Broadcast.Core.Vendors.Omnichat;

namespace Broadcast.Tests.Unit.Workflow;

/// <summary>A vendor that answers from a script instead of the network: every call is recorded with the fake
/// clock's time, and <see cref="BeforeAnswer"/> can act at a given call (a process dying mid-broadcast).</summary>
public sealed class ScriptedVendor(TimeProvider time) : IVendorClient
{
    private int _calls;

    public Provider Provider => Provider.Omnichat;
    public VendorOptions Options { get; } = new OmnichatOptions { BaseUrl = "http://vendor.invalid", ApiKey = "unit-test-key", RatePerSecond = 0 };
    public VendorCapabilities Capabilities { get; } = new(Templates: true, Text: true, Events: true, Groups: true, Bulk: false, StatusCallbacks: true);

    /// <summary>The answer to the call numbered from 1, for a recipient's phone.</summary>
    public Func<string, int, SendResult> Answer { get; set; } = (phone, n) => SendResult.Accepted($"m{n}");

    /// <summary>Runs before the answer, with the call's number.</summary>
    public Action<int>? BeforeAnswer { get; set; }

    public ConcurrentQueue<(string Phone, DateTimeOffset At)> Calls { get; } = new();

    public int CallsTo(string phone) => Calls.Count(c => c.Phone == phone);

    public Task<SendResult> SendAsync(SendRequest request, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _calls);
        Calls.Enqueue((request.Recipient.Phone, time.GetUtcNow()));
        BeforeAnswer?.Invoke(n);
        ct.ThrowIfCancellationRequested(); // a process that died never reads the answer
        return Task.FromResult(Answer(request.Recipient.Phone, n));
    }

    public VendorCallback ReadCallback(JsonElement body) => throw new NotSupportedException();
    public string ChannelKey(ChannelSpec channel) => "omnichat:unit";
    public string ChannelLabel(string channelKey) => "unit";
    public ChannelSpec ResolveChannel(ChannelSpec? requested) => requested ?? new ChannelSpec();
    public (string Field, string Error)? Validate(MessageContent content, ChannelSpec channel, bool isGroup) => null;
    public int BulkSize => 0;
    public Task<IReadOnlyList<SendResult>> SendBulkAsync(BulkSendRequest request, CancellationToken ct) => throw new NotSupportedException();
}
