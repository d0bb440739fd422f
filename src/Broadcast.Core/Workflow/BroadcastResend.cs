using Broadcast.Core.Campaigns;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;

namespace Broadcast.Core.Workflow;

/// <summary>What a resend may change: when it starts, its delivery window and its expiry (null: as below).</summary>
/// <param name="Statuses">The recipients of the original to send again, by their status in its log.</param>
/// <param name="StartedAt">Null: now.</param>
/// <param name="Window">Null: the original's window.</param>
/// <param name="ExpiresAt">Null: the original's, if it is still ahead; otherwise none.</param>
public sealed record ResendRequest(IReadOnlySet<string> Statuses, DateTimeOffset? StartedAt = null, DeliveryWindow? Window = null,
    DateTimeOffset? ExpiresAt = null);

/// <summary>A finished broadcast's recipients of some statuses (failed and unknown by default) sent again as a new
/// broadcast: the same content, channel, delivery, fallback providers, variables and controls, <c>resend_of</c> naming the original.
/// Its recipients are written to a set of its own, streamed from the original's log, so any number can be resent.</summary>
public sealed class BroadcastResend(IStorage storage, StorageNames names, BroadcastStore broadcasts, RecipientLog log, BroadcastIntake intake,
    BroadcastWorkflow workflow, TimeProvider time)
{
    /// <summary>The statuses a resend may ask for: those of recipients the vendor did not (or may not) have taken.</summary>
    public static readonly IReadOnlyList<string> Resendable = [RecipientStatus.Failed, RecipientStatus.Unknown, RecipientStatus.Expired, RecipientStatus.Canceled];

    public static readonly IReadOnlySet<string> DefaultStatuses = new HashSet<string> { RecipientStatus.Failed, RecipientStatus.Unknown };

    /// <summary>The original, or a refusal naming the reason: 404 when there is none, 409 while it still runs.</summary>
    public async Task<BroadcastRecord> OriginalAsync(string id, CancellationToken ct)
    {
        var original = await broadcasts.GetAsync(id, ct) ?? throw new IntakeException("id", $"No broadcast has id '{id}'.", Refusal.NotFound);
        if (original.CompletedAt is null)
            throw new IntakeException("id", $"Broadcast '{id}' is {original.Status}: resend it once it has finished (or cancel it first).", Refusal.WrongState);
        return original;
    }

    /// <summary>Accepts the new broadcast (scheduled as any other), once per Idempotency-Key as a new broadcast is (Created
    /// false: an identical earlier resend's); 422 when no recipient of the original matches.</summary>
    public async Task<(BroadcastRecord Record, bool Created)> ResendAsync(BroadcastRecord original, ResendRequest request, string? idempotencyKey,
        string requestFingerprint, CancellationToken ct)
    {
        var d = original.Definition;
        var now = time.GetUtcNow();
        var startsAt = request.StartedAt is { } at && at > now ? at : now;
        var controls = d.Run with
        {
            Window = request.Window ?? d.Run.Window,
            ExpiresAt = request.ExpiresAt ?? (d.Run.ExpiresAt is { } expiresAt && expiresAt > startsAt ? expiresAt : null),
            ResendOf = d.Id,
        };
        var asked = new NewBroadcast(d.Name, d.Provider, d.Content, d.Channel, d.IsGroup, d.Delivery, d.NativeBulk, request.StartedAt,
            null, null, d.VariableNames, d.SingleMessage, d.Fallback, d.TemplateName, controls);
        intake.Check(asked); // the vendors still configured, the new times valid
        var fallback = intake.CheckFallback(asked);

        return await intake.OnceAsync(idempotencyKey, requestFingerprint, BroadcastStore.NewId(now), async id =>
        {
            var (location, total) = await WriteRecipientsAsync(original, request.Statuses, id, ct);
            if (total == 0)
                throw new IntakeException("statuses", $"No recipient of broadcast '{d.Id}' is {string.Join(" or ", request.Statuses.Order())}: nothing to resend.",
                    Refusal.Unprocessable);
            var definition = new BroadcastDefinition(id, d.Name, d.Provider, d.Content, d.Channel, d.IsGroup, d.Delivery, d.NativeBulk, null,
                location, total, RecipientSetIndex.DefaultPageSize, d.PagesPerBatch, d.VariableNames, request.StartedAt, now, d.SingleMessage,
                Fallback: fallback, TemplateName: d.TemplateName, Controls: controls);
            return await workflow.AcceptAsync(definition, ct);
        }, ct);
    }

    /// <summary>The matching recipients, as they were listed: inline in the row when they fit, otherwise a set of blobs.
    /// Nothing is written when none match.</summary>
    private async Task<(RecipientSetLocation Location, long Total)> WriteRecipientsAsync(BroadcastRecord original, IReadOnlySet<string> statuses,
        string id, CancellationToken ct)
    {
        var first = new List<Recipient>(RecipientSetIndex.DefaultPageSize);
        await using var matching = log.WithStatusAsync(original, statuses, ct).GetAsyncEnumerator(ct);
        var more = await matching.MoveNextAsync();
        while (more && first.Count < RecipientSetIndex.DefaultPageSize)
        {
            first.Add(matching.Current);
            more = await matching.MoveNextAsync();
        }
        if (!more && RecipientSetLocation.TryInline(names.BroadcastsContainer, id, first) is { } inline) return (inline, first.Count);

        var location = new RecipientSetLocation(names.BroadcastsContainer, id);
        await using var writer = await RecipientSetWriter.CreateAsync(storage.Blobs, location, ct);
        foreach (var r in first) await writer.AddAsync(r, ct);
        for (; more; more = await matching.MoveNextAsync()) await writer.AddAsync(matching.Current, ct);
        await writer.CompleteAsync(ct);
        return (location, writer.Count);
    }
}
