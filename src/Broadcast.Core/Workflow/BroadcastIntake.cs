using System.Security.Cryptography;
using System.Text;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;

namespace Broadcast.Core.Workflow;

/// <summary>Checks a new broadcast against its vendor, stores its recipients, and hands it to the workflow;
/// an Idempotency-Key makes a repeated request answer the broadcast the first one created.</summary>
public sealed class BroadcastIntake(
    IStorage storage, StorageNames names, BroadcastStore broadcasts, BroadcastWorkflow workflow,
    VendorRegistry vendors, WorkflowOptions options, TimeProvider time, Func<IUploadCatalog?> uploads, Campaigns.NotificationOptions notifications)
{
    public const int MaxInlineRecipients = 1000;

    /// <summary>How long an Idempotency-Key answers with its broadcast; after that the key is free again.</summary>
    public static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromHours(24);

    /// <summary>A key whose request has not created its broadcast within this long is taken to have failed
    /// (its process died or storage went away), so a different request may claim it; well above any creation time.</summary>
    public static readonly TimeSpan AbandonedClaimAge = TimeSpan.FromSeconds(60);

    /// <summary>Creates the broadcast. Everything that can refuse it (vendor, limits, upload) is checked before the
    /// Idempotency-Key is touched, and a failure after the claim gives the key back, so only a broadcast actually
    /// created binds its key (as Stripe keeps keys).</summary>
    public async Task<(BroadcastRecord Record, bool Created)> CreateAsync(NewBroadcast request, string? idempotencyKey, string requestFingerprint, CancellationToken ct)
    {
        var vendor = vendors[request.Provider];
        var channel = Check(request);
        var fallback = CheckFallback(request);
        var upload = await UploadAsync(request, ct);
        if (upload is null && request.Recipients is not { Count: > 0 })
            throw new IntakeException("recipients", "Give 'upload_id' or at least one recipient.");

        var now = time.GetUtcNow();
        return await OnceAsync(idempotencyKey, requestFingerprint, BroadcastStore.NewId(now), async id =>
        {
            var (location, total, variableNames) = upload is not null
                ? (upload.Recipients, upload.ValidRecipients, upload.VariableNames)
                : await WriteInlineRecipientsAsync(request, id, ct);
            var pagesPerBatch = request.NativeBulk ? Math.Max(1, (vendor.BulkSize + RecipientSetIndex.DefaultPageSize - 1) / RecipientSetIndex.DefaultPageSize) : options.PagesPerBatch;
            var definition = new BroadcastDefinition(id, request.Name, request.Provider, request.Content, channel, request.IsGroup,
                request.Delivery, request.NativeBulk, request.UploadId, location, total, RecipientSetIndex.DefaultPageSize, pagesPerBatch,
                variableNames, request.StartedAt, now, request.SingleMessage, Fallback: fallback, TemplateName: request.TemplateName,
                Controls: request.Controls);
            // The API's field limits keep every definition far below this; a drop or a future field must not reach storage's.
            if (BroadcastRecord.DefinitionLength(definition) > BroadcastRecord.MaxDefinitionLength)
                throw new IntakeException("body", "The broadcast is too large to keep: shorten its text, template or variable names.");
            return await workflow.AcceptAsync(definition, ct);
        }, ct);
    }

    /// <summary>Creates a broadcast once per Idempotency-Key (none: every time): <paramref name="create"/> runs with
    /// <paramref name="newId"/>, or with the id an identical request claimed and did not finish; an identical request
    /// that did finish answers its broadcast (Created false), a different one under the key is refused. Call it after
    /// everything that can refuse the request has been checked: a failure inside gives the key back.</summary>
    public async Task<(BroadcastRecord Record, bool Created)> OnceAsync(string? idempotencyKey, string requestFingerprint, string newId,
        Func<string, Task<BroadcastRecord>> create, CancellationToken ct)
    {
        if (idempotencyKey is null) return (await create(newId), true);
        var claim = await ClaimIdempotencyKeyAsync(idempotencyKey, newId, requestFingerprint, ct);
        if (claim.Existing is { } existing) return (existing, false);
        try
        {
            return (await create(claim.BroadcastId), true); // ours, or the id of an identical request that stopped before creating it
        }
        // A broadcast that may still be stored keeps its key: a retry with the key then finds it instead of making a second.
        catch (Exception e) when (claim.Inserted && e is not StorageUnavailableException { MayHaveWritten: true })
        {
            await ReleaseIdempotencyKeyAsync(claim, ct);
            throw;
        }
    }

    /// <summary>Whether the vendor can send this broadcast (configured, channel, content); throws naming the field.
    /// Answers the channel it goes through.</summary>
    public ChannelSpec Check(NewBroadcast request)
    {
        var vendor = vendors[request.Provider];
        if (!vendor.Options.IsConfigured)
            throw new IntakeException("provider", $"{request.Provider.Name()} is not configured: set {string.Join(", ", vendor.Options.MissingSettings)}.", Refusal.Unprocessable);
        var channel = vendor.ResolveChannel(request.Channel);
        if (vendor.Validate(request.Content, channel, request.IsGroup) is { } invalid)
            throw new IntakeException(invalid.Field, invalid.Error);
        if (request.Controls is { } controls)
        {
            var now = time.GetUtcNow();
            if (controls.ExpiresAt is { } expiresAt)
            {
                if (expiresAt <= now) throw new IntakeException("expires_at", "expires_at is in the past: give a time ahead, such as 2026-12-01T18:00:00+07:00.");
                if (request.StartedAt is { } startedAt && expiresAt <= startedAt) throw new IntakeException("expires_at", "expires_at is after started_at.");
            }
            if (controls.NotifyUrl is { } url)
            {
                if (Campaigns.WebhookAddress.Check(url, notifications.AllowLoopback) is { } refused) throw new IntakeException("notify_url", refused);
                if (string.IsNullOrEmpty(notifications.Secret))
                    throw new IntakeException("notify_url", "Notifications__Secret is not set, so the webhook could not be signed: set it to use notify_url.", Refusal.Unprocessable);
            }
            if (controls.MaxPerMinute is not null && request.NativeBulk)
                throw new IntakeException("max_per_minute", "max_per_minute paces single sends; a native_bulk broadcast goes out in bulk calls.");
        }
        if (request.NativeBulk && vendor.BulkSize == 0)
            throw new IntakeException("native_bulk", $"{request.Provider.Name()} has no bulk call; send without native_bulk.");
        if (vendor.Capabilities.MaxTemplateVariables is { } max && request.Recipients is { } recipients)
            for (var i = 0; i < recipients.Count; i++)
                if (recipients[i].Variables.Count > max)
                    throw new IntakeException(request.SingleMessage ? "template.variables" : $"recipients[{i}].variables",
                        $"{request.Provider} templates take at most {max} variables.");
        return channel;
    }

    /// <summary>Each fallback provider can send its content (configured, channel, content), or a 400 naming the provider
    /// in field <c>fallback</c>; answers the routes with their channels resolved.</summary>
    public IReadOnlyList<FallbackRoute>? CheckFallback(NewBroadcast request)
    {
        if (request.Fallback is not { Count: > 0 } routes) return null;
        if (request.NativeBulk) throw new IntakeException("fallback", "A native bulk send has no per-recipient outcome to fail over on: send without native_bulk, or without fallback.");
        var resolved = new List<FallbackRoute>(routes.Count);
        foreach (var route in routes)
        {
            var vendor = vendors[route.Provider];
            var name = route.Provider.Name();
            if (!vendor.Options.IsConfigured)
                throw new IntakeException("fallback", $"{name} is not configured: set {string.Join(", ", vendor.Options.MissingSettings)}.", Refusal.Unprocessable);
            var channel = vendor.ResolveChannel(route.Channel);
            if (vendor.Validate(route.Content, channel, request.IsGroup) is { } invalid)
                throw new IntakeException("fallback", $"{name} cannot send this ({invalid.Field}): {invalid.Error}");
            resolved.Add(route with { Channel = channel });
        }
        return resolved;
    }

    private async Task<UploadSummary?> UploadAsync(NewBroadcast request, CancellationToken ct)
    {
        if (request.UploadId is null) return null;
        var catalog = uploads() ?? throw new IntakeException("upload_id", "Uploads are not available in this host.", Refusal.Unprocessable);
        var upload = await catalog.GetAsync(request.UploadId, ct) ?? throw new IntakeException("upload_id", $"No upload has id '{request.UploadId}'.", Refusal.NotFound);
        if (!upload.Usable) throw new IntakeException("upload_id", "That upload has no valid recipient.", Refusal.Unprocessable);
        return upload;
    }

    private async Task<(RecipientSetLocation Location, long Total, IReadOnlyList<string> VariableNames)> WriteInlineRecipientsAsync(NewBroadcast request, string id, CancellationToken ct)
    {
        var recipients = request.Recipients!;
        if (recipients.Count > MaxInlineRecipients) throw new IntakeException("recipients", $"At most {MaxInlineRecipients} inline recipients; upload a CSV for more.");
        if (RecipientSetLocation.TryInline(names.BroadcastsContainer, id, recipients) is { } inline)
            return (inline, recipients.Count, request.VariableNames);
        var location = new RecipientSetLocation(names.BroadcastsContainer, id);
        await using var writer = await RecipientSetWriter.CreateAsync(storage.Blobs, location, ct);
        foreach (var r in recipients) await writer.AddAsync(r, ct);
        await writer.CompleteAsync(ct);
        return (location, recipients.Count, request.VariableNames);
    }

    /// <param name="Inserted">This request wrote the key's row (and gives it back if it fails).</param>
    /// <param name="Existing">The broadcast an identical earlier request created: answer it.</param>
    private sealed record IdempotencyClaim(string RowKey, string BroadcastId, bool Inserted, BroadcastRecord? Existing = null);

    private async Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(string key, string newId, string fingerprint, CancellationToken ct)
    {
        var rowKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();
        while (true)
        {
            var now = time.GetUtcNow();
            var row = new TableRow("key", rowKey) { ["BroadcastId"] = newId, ["Request"] = fingerprint, ["ClaimedAt"] = now };
            try
            {
                await storage.Tables.InsertAsync(names.IdempotencyTable, row, ct);
                return new IdempotencyClaim(rowKey, newId, Inserted: true);
            }
            catch (StorageConflictException)
            {
            }

            var existing = await storage.Tables.GetAsync(names.IdempotencyTable, "key", rowKey, ct);
            if (existing is null) continue; // given back in between: claim it again
            var claimedAt = existing.GetDate("ClaimedAt") ?? DateTimeOffset.MinValue;
            var existingId = existing.GetString("BroadcastId") ?? newId;
            if (now - claimedAt > IdempotencyKeyLifetime)
            {
                if (await TryTakeOverAsync(existing, row)) return new IdempotencyClaim(rowKey, newId, Inserted: true);
                continue;
            }

            var sameRequest = existing.GetString("Request") == fingerprint;
            var broadcast = sameRequest ? await WaitForAsync(existingId, ct) : await broadcasts.GetAsync(existingId, ct);
            if (broadcast is not null)
                return sameRequest ? new IdempotencyClaim(rowKey, existingId, false, broadcast)
                    : throw new IntakeException("Idempotency-Key", "This Idempotency-Key was used for a different request.", Refusal.Unprocessable);
            if (sameRequest) return new IdempotencyClaim(rowKey, existingId, Inserted: false); // finish its work under its id
            if (now - claimedAt < AbandonedClaimAge)
                throw new IntakeException("Idempotency-Key", "A request with this Idempotency-Key is still being processed; try again shortly.", Refusal.InProgress);
            if (await TryTakeOverAsync(existing, row)) return new IdempotencyClaim(rowKey, newId, Inserted: true);
        }

        async Task<bool> TryTakeOverAsync(TableRow existing, TableRow ours)
        {
            ours.ETag = existing.ETag;
            try
            {
                await storage.Tables.ReplaceAsync(names.IdempotencyTable, ours, ct);
                return true;
            }
            catch (StoragePreconditionFailedException)
            {
                return false;
            }
        }
    }

    /// <summary>The request failed after claiming its key and before its broadcast existed: free the key, so the
    /// corrected request is not refused. Best effort (storage may be the failure); a key left behind is given up
    /// after <see cref="AbandonedClaimAge"/>.</summary>
    private async Task ReleaseIdempotencyKeyAsync(IdempotencyClaim claim, CancellationToken ct)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            if (await broadcasts.GetAsync(claim.BroadcastId, timeout.Token) is not null) return;
            var row = await storage.Tables.GetAsync(names.IdempotencyTable, "key", claim.RowKey, timeout.Token);
            if (row?.GetString("BroadcastId") == claim.BroadcastId)
                await storage.Tables.DeleteAsync(names.IdempotencyTable, "key", claim.RowKey, timeout.Token);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Storage is what failed: the claim ages out instead.
        }
    }

    /// <summary>How long a repeated request waits for the first one's broadcast to appear: its writes take
    /// milliseconds, so this is only reached when the first request died.</summary>
    private static readonly TimeSpan FirstRequestWait = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan FirstRequestPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>The first request with the same key may still be writing its broadcast.</summary>
    private async Task<BroadcastRecord?> WaitForAsync(string id, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + FirstRequestWait;
        while (true)
        {
            var record = await broadcasts.GetAsync(id, ct);
            if (record is not null || time.GetUtcNow() > deadline) return record;
            await Task.Delay(FirstRequestPoll, time, ct);
        }
    }

    public static string Fingerprint(ReadOnlySpan<byte> body) => Convert.ToHexString(SHA256.HashData(body));
}
