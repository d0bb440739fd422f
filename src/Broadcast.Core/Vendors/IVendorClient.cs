using System.Text.Json;
using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors;

/// <summary>A vendor adapter: everything the product knows about one vendor. It builds exactly the request the vendor
/// documents, reads its answers and errors, says what it can send and reads its callbacks. Adding a vendor: see
/// docs/adding-a-vendor.md.</summary>
public interface IVendorClient
{
    Provider Provider { get; }
    VendorOptions Options { get; }
    VendorCapabilities Capabilities { get; }

    /// <summary>Reads a callback body the vendor (or anyone holding the callback secret) posted.</summary>
    /// <exception cref="Workflow.IntakeException">A field is malformed or missing.</exception>
    VendorCallback ReadCallback(JsonElement body);

    /// <summary>The account-and-channel a send goes through: the unit of rate limiting.</summary>
    string ChannelKey(ChannelSpec channel);

    /// <summary>The channel of a <see cref="ChannelKey"/> as telemetry names it: a metric dimension, so few values,
    /// and never a secret.</summary>
    string ChannelLabel(string channelKey);

    /// <summary>Fills unset channel fields from the configured defaults.</summary>
    ChannelSpec ResolveChannel(ChannelSpec? requested);

    /// <summary>Null when the vendor can send this content, otherwise (field, reason).</summary>
    (string Field, string Error)? Validate(MessageContent content, ChannelSpec channel, bool isGroup);

    Task<SendResult> SendAsync(SendRequest request, CancellationToken ct);

    /// <summary>Recipients per native bulk call, or 0 when the vendor has no bulk call.</summary>
    int BulkSize { get; }

    /// <summary>One result per recipient, in order.</summary>
    Task<IReadOnlyList<SendResult>> SendBulkAsync(BulkSendRequest request, CancellationToken ct);
}
