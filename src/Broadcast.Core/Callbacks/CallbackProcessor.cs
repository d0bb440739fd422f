using Broadcast.Core.Messaging;
using Broadcast.Core.Phones;
using Broadcast.Core.Suppressions;
using Broadcast.Core.Telemetry;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Callbacks;

/// <summary>Applies vendor callbacks: status receipts move a recipient forward and the broadcast's counters follow;
/// a reply that is an opt-out keyword puts the sender on the suppression list.</summary>
public sealed class CallbackProcessor(MessageIndex index, ReceiptStore receipts, BatchStore batches, BroadcastStore broadcasts,
    SuppressionList suppressions, IReadOnlyCollection<string> optOutKeywords, string defaultCountryCode)
{
    public async Task<CallbackOutcome> ApplyStatusAsync(StatusCallback callback, CancellationToken ct)
    {
        var phone = callback.PhoneNumber is not null && PhoneNumbers.TryNormalize(callback.PhoneNumber, defaultCountryCode, out var digits, out _) ? digits : null;
        var location = await index.FindAsync(callback.Provider, callback.ProviderMessageId, phone, ct);
        if (location is null) return CallbackOutcome.NoMatch;
        var batch = await batches.GetAsync(location.BroadcastId, location.Batch, ct);
        var committed = batch is not null && location.Index < batch.Outcomes.Length ? batch.Outcomes[location.Index].Status : RecipientStatus.Sent;
        var from = await receipts.AdvanceAsync(location, committed, callback.Status, ct);
        if (from is null) return CallbackOutcome.Unchanged;
        var updated = await broadcasts.UpdateAsync(location.BroadcastId, r =>
        {
            r.Moved(from, callback.Status);
            return true;
        }, ct);
        BroadcastTelemetry.LinkCurrent(location.BroadcastId, updated?.Definition.TraceParent);
        return CallbackOutcome.Updated;
    }

    public async Task<CallbackOutcome> HandleReplyAsync(InboundReply reply, CancellationToken ct)
    {
        if (!IsOptOut(reply.Text)) return CallbackOutcome.Ignored;
        if (reply.From is null || !PhoneNumbers.TryNormalize(reply.From, defaultCountryCode, out var phone, out _)) return CallbackOutcome.NoMatch;
        await suppressions.AddAsync(phone, $"replied \"{reply.Text!.Trim()}\"", $"{reply.Provider.Name()} reply", ct);
        return CallbackOutcome.OptedOut;
    }

    public bool IsOptOut(string? text) =>
        text is not null && optOutKeywords.Any(k => string.Equals(k.Trim(), text.Trim(), StringComparison.OrdinalIgnoreCase));
}
