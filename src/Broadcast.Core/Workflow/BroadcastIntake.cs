using System.Security.Cryptography;
using System.Text;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;

namespace Broadcast.Core.Workflow;

/// <summary>A broadcast as a caller asks for it (a single message is a broadcast of one).</summary>
public sealed record NewBroadcast(
    string? Name,
    Provider Provider,
    MessageContent Content,
    ChannelSpec? Channel,
    bool IsGroup,
    DeliveryGuarantee Delivery,
    bool NativeBulk,
    DateTimeOffset? StartedAt,
    string? UploadId,
    IReadOnlyList<Recipient>? Recipients,
    IReadOnlyList<string> VariableNames,
    bool SingleMessage);

/// <summary>A request the product cannot accept, naming the field; nothing was started.</summary>
public sealed class IntakeException(string field, string message, int status = 400) : Exception(message)
{
    public string Field { get; } = field;
    public int Status { get; } = status;
}

/// <summary>Checks a new broadcast against its vendor, stores its recipients, and hands it to the workflow;
/// an Idempotency-Key makes a repeated request answer the broadcast the first one created.</summary>
public sealed class BroadcastIntake(
    IStorage storage, StorageNames names, BroadcastStore broadcasts, BroadcastWorkflow workflow,
    VendorRegistry vendors, WorkflowOptions options, Func<IUploadCatalog?> uploads)
{
    public const int MaxInlineRecipients = 1000;

    public async Task<(BroadcastRecord Record, bool Created)> CreateAsync(NewBroadcast request, string? idempotencyKey, string requestFingerprint, CancellationToken ct)
    {
        var vendor = vendors[request.Provider];
        var channel = Check(request);

        var now = DateTimeOffset.UtcNow;
        var id = BroadcastStore.NewId(now);
        if (idempotencyKey is not null)
        {
            var (existingId, sameRequest) = await ClaimIdempotencyKeyAsync(idempotencyKey, id, requestFingerprint, ct);
            if (existingId != id)
            {
                if (!sameRequest) throw new IntakeException("Idempotency-Key", "This Idempotency-Key was used for a different request.", 422);
                var existing = await WaitForAsync(existingId, ct);
                if (existing is not null) return (existing, false);
                id = existingId; // the first request stopped before creating it: finish its work under its id
            }
        }

        var (location, total, variableNames) = await RecipientsAsync(request, id, ct);
        var pagesPerBatch = request.NativeBulk ? Math.Max(1, (vendor.BulkSize + RecipientSetIndex.DefaultPageSize - 1) / RecipientSetIndex.DefaultPageSize) : options.PagesPerBatch;
        var definition = new BroadcastDefinition(id, request.Name, request.Provider, request.Content, channel, request.IsGroup,
            request.Delivery, request.NativeBulk, request.UploadId, location, total, RecipientSetIndex.DefaultPageSize, pagesPerBatch,
            variableNames, request.StartedAt, now, request.SingleMessage);
        return (await workflow.AcceptAsync(definition, ct), true);
    }

    /// <summary>Whether the vendor can send this broadcast (configured, channel, content); throws naming the field.
    /// Answers the channel it goes through.</summary>
    public ChannelSpec Check(NewBroadcast request)
    {
        var vendor = vendors[request.Provider];
        if (!vendor.Options.IsConfigured)
            throw new IntakeException("provider", $"{request.Provider.Name()} is not configured: set {string.Join(", ", vendor.Options.MissingSettings)}.", 422);
        var channel = vendor.ResolveChannel(request.Channel);
        if (vendor.Validate(request.Content, channel, request.IsGroup) is { } invalid)
            throw new IntakeException(invalid.Field, invalid.Error);
        if (request.NativeBulk && vendor.BulkSize == 0)
            throw new IntakeException("native_bulk", $"{request.Provider.Name()} has no bulk call; send without native_bulk.");
        return channel;
    }

    private async Task<(RecipientSetLocation Location, long Total, IReadOnlyList<string> VariableNames)> RecipientsAsync(NewBroadcast request, string id, CancellationToken ct)
    {
        if (request.UploadId is not null)
        {
            var catalog = uploads() ?? throw new IntakeException("upload_id", "Uploads are not available in this host.", 422);
            var upload = await catalog.GetAsync(request.UploadId, ct) ?? throw new IntakeException("upload_id", $"No upload has id '{request.UploadId}'.", 404);
            if (!upload.Usable) throw new IntakeException("upload_id", "That upload has no valid recipient.", 422);
            return (upload.Recipients, upload.ValidRecipients, upload.VariableNames);
        }
        var recipients = request.Recipients ?? [];
        if (recipients.Count == 0) throw new IntakeException("recipients", "Give 'upload_id' or at least one recipient.");
        if (recipients.Count > MaxInlineRecipients) throw new IntakeException("recipients", $"At most {MaxInlineRecipients} inline recipients; upload a CSV for more.");
        var location = new RecipientSetLocation(names.BroadcastsContainer, id);
        await using var writer = await RecipientSetWriter.CreateAsync(storage.Blobs, location, ct);
        foreach (var r in recipients) await writer.AddAsync(r, ct);
        await writer.CompleteAsync(ct);
        return (location, recipients.Count, request.VariableNames);
    }

    private async Task<(string BroadcastId, bool SameRequest)> ClaimIdempotencyKeyAsync(string key, string newId, string fingerprint, CancellationToken ct)
    {
        var rowKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();
        var row = new TableRow("key", rowKey) { ["BroadcastId"] = newId, ["Request"] = fingerprint };
        try
        {
            await storage.Tables.InsertAsync(names.IdempotencyTable, row, ct);
            return (newId, true);
        }
        catch (StorageConflictException)
        {
            var existing = await storage.Tables.GetAsync(names.IdempotencyTable, "key", rowKey, ct);
            return (existing?.GetString("BroadcastId") ?? newId, existing?.GetString("Request") == fingerprint);
        }
    }

    /// <summary>The first request with the same key may still be writing its broadcast.</summary>
    private async Task<BroadcastRecord?> WaitForAsync(string id, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (true)
        {
            var record = await broadcasts.GetAsync(id, ct);
            if (record is not null || DateTime.UtcNow > deadline) return record;
            await Task.Delay(100, ct);
        }
    }

    public static string Fingerprint(ReadOnlySpan<byte> body) => Convert.ToHexString(SHA256.HashData(body));
}
