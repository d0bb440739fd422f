using System.Text;
using Broadcast.Core.Messaging;
using Broadcast.Core.Storage;
using Broadcast.Core.Templates;
using Broadcast.Core.Uploads;
using Broadcast.Core.Workflow;
using Broadcast.Functions.Apis;

namespace Broadcast.Functions.Drops;

/// <summary>Turns one dropped CSV into exactly one broadcast: claims its receipt (blob name + ETag), reads the request
/// (sidecar or metadata) before touching the CSV, streams the CSV through the same importer as
/// <c>POST /api/uploads</c>, and creates the broadcast under an idempotency key of the drop, so that an instance taking
/// over from one that died mid-way answers the broadcast already started instead of starting another.</summary>
internal sealed class DropProcessor : IDropProcessor
{
    /// <summary>Failed attempts (errors, not invalid drops) after which a drop is given up with an error file.</summary>
    public const int MaxAttempts = 5;

    private readonly IBlobStore _blobs;
    private readonly DropOptions _options;
    private readonly DropReceipts _receipts;
    private readonly DropRequestReader _requests;
    private readonly DropReports _reports;
    private readonly UploadImporter _importer;
    private readonly UploadCatalog _uploads;
    private readonly BroadcastIntake _intake;
    private readonly TemplateRegistry _templates;
    private readonly string _countryCode;
    private readonly string _timeZone;
    private readonly TimeProvider _clock;
    private readonly ILogger<DropProcessor> _log;
    private readonly string _owner = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    public DropProcessor(IStorage storage, StorageNames names, IOptions<DropOptions> options, UploadImporter importer, UploadCatalog uploads,
        BroadcastIntake intake, TemplateRegistry templates, IOptions<MessagingOptions> messaging, TimeProvider clock, ILogger<DropProcessor> log)
    {
        _blobs = storage.Blobs;
        _options = options.Value;
        Container = names.DropsContainer(_options.Container);
        _receipts = new DropReceipts(storage.Tables, names.DropReceiptsTable, clock);
        _requests = new DropRequestReader(_blobs, Container);
        _reports = new DropReports(_blobs, Container);
        _importer = importer;
        _uploads = uploads;
        _intake = intake;
        _templates = templates;
        _countryCode = messaging.Value.DefaultCountryCode;
        _timeZone = messaging.Value.TimeZone;
        _clock = clock;
        _log = log;
    }

    /// <summary>The watched container, with the storage name prefix.</summary>
    public string Container { get; }

    public static string IdempotencyKey(string blobName, string etag) => $"drop:{blobName}:{etag}";

    public async Task<DropResult> ProcessAsync(string blobName, CancellationToken ct)
    {
        if (DropNames.IsReport(blobName)) return Ignored("a report written by the app, not a drop");
        if (DropNames.IsSidecar(blobName))
        {
            // A request arriving after its CSV (the Functions host triggers on it): the CSV is the drop.
            var csvName = await FindCsvAsync(blobName, ct);
            if (csvName is null) return Ignored("a request whose CSV has not arrived yet");
            blobName = csvName;
        }
        else if (!DropNames.IsCsv(blobName))
        {
            return Ignored("not a .csv");
        }

        var csv = await _blobs.GetInfoAsync(Container, blobName, ct);
        if (csv is null) return Ignored("no such blob");
        if (await _receipts.GetAsync(blobName, csv.ETag, ct) is { } receipt && Settled(receipt) is { } settled) return settled;

        var request = await _requests.ReadAsync(csv, ct);
        var graceEnds = (csv.LastModified ?? DateTimeOffset.MinValue) + _options.SidecarGrace;
        if (request is null && _clock.GetUtcNow() < graceEnds)
            return new DropResult("waiting", Detail: $"waiting for {DropNames.SidecarsOf(blobName).First()} until {RequestMapping.Iso(graceEnds)}");

        var (claim, other) = await _receipts.TryClaimAsync(blobName, csv.ETag, _owner, _options.ClaimLease, ct);
        if (claim is null) return (other is null ? null : Settled(other)) ?? InProgress;
        await using (claim)
        {
            using var work = CancellationTokenSource.CreateLinkedTokenSource(ct, claim.Lost);
            try
            {
                return await RunAsync(claim, csv, request, work.Token);
            }
            catch (OperationCanceledException) when (claim.Lost.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                return InProgress;
            }
            catch (Exception e)
            {
                // Shutting down: another instance (or this one, restarted) may take it at once; failing: retry later.
                var retryAfter = ct.IsCancellationRequested ? TimeSpan.Zero : RetryDelay(claim.Attempts);
                try { await claim.ReleaseAsync(retryAfter, Describe(e)); }
                catch (Exception) { /* then its lease runs out by itself */ }
                throw;
            }
        }
    }

    private async Task<DropResult> RunAsync(DropClaim claim, BlobInfo csv, DropRequest? request, CancellationToken ct)
    {
        if (claim.Attempts > MaxAttempts) return await InvalidAsync(claim, csv, DropProblem.GaveUp(claim.Attempts - 1, claim.LastError), ct);
        if (request is null) return await InvalidAsync(claim, csv, DropProblem.NoRequest(csv.Name, _options.SidecarGrace), ct);
        if (request.Problem is { } problem) return await InvalidAsync(claim, csv, problem, ct);

        var body = request.Request!;
        NewBroadcast asked;
        TemplateHint? rowHint;
        try
        {
            // Planned once before the CSV is read, so that a wrong request costs no import.
            asked = body.ToNewBroadcast(_countryCode, _timeZone);
            var planned = await SendPlanning.PlanAsync(asked, body.Template, body.Fallback, _templates, null, ct);
            _intake.Check(planned);
            rowHint = await SendPlanning.RowHintAsync(planned, _templates, ct);
        }
        catch (IntakeException e)
        {
            return await InvalidAsync(claim, csv, DropProblem.From(e), ct);
        }

        UploadSummary? summary;
        UploadRejectedException? rejected = null;
        try
        {
            await using var content = await _blobs.OpenReadAsync(Container, csv.Name, ct);
            summary = content is null ? null : await _importer.ImportAsync(content, new UploadRequest(Provider: asked.Provider, Template: rowHint), ct);
        }
        catch (UploadRejectedException e)
        {
            (summary, rejected) = (null, e);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            if (await StillTheSameAsync(csv)) throw;
            summary = null; // replaced mid-read: that is why the read failed
        }
        if ((summary is null && rejected is null) || !await StillTheSameAsync(csv))
        {
            if (summary is not null) await _uploads.DeleteAsync(summary.UploadId, CancellationToken.None);
            return await SupersededAsync(claim, csv, ct);
        }
        if (rejected is not null) return await InvalidAsync(claim, csv, DropProblem.From(rejected), ct);
        if (!summary!.Usable) return await InvalidAsync(claim, csv, DropProblem.NoValidRecipient(summary), ct);

        var key = IdempotencyKey(csv.Name, csv.ETag);
        BroadcastRecord record;
        bool created;
        try
        {
            var broadcast = await SendPlanning.PlanAsync(asked with { UploadId = summary.UploadId }, body.Template, body.Fallback, _templates, _uploads, ct);
            (record, created) = await _intake.CreateAsync(broadcast, key, BroadcastIntake.Fingerprint(Encoding.UTF8.GetBytes(key)), ct);
        }
        catch (IntakeException e)
        {
            await _uploads.DeleteAsync(summary.UploadId, CancellationToken.None);
            return await InvalidAsync(claim, csv, DropProblem.From(e), ct);
        }
        var uploadId = record.Definition.UploadId ?? summary.UploadId;
        if (uploadId != summary.UploadId)
            await _uploads.DeleteAsync(summary.UploadId, CancellationToken.None); // the broadcast uses the first owner's import

        await _reports.WriteResultAsync(csv.Name, summary with { UploadId = uploadId }, record.Id, csv.ETag, _clock.GetUtcNow(), ct);
        await claim.StartedAsync(uploadId, record.Id, ct);
        _log.LogInformation("Drop {Blob} {Outcome} broadcast {BroadcastId} (upload {UploadId}, {Valid} recipients)",
            csv.Name, created ? "started" : "found", record.Id, uploadId, summary.ValidRecipients);
        return new DropResult(created ? "started" : "already_started", uploadId, record.Id);
    }

    private async Task<DropResult> InvalidAsync(DropClaim claim, BlobInfo csv, DropProblem problem, CancellationToken ct)
    {
        await _reports.WriteErrorAsync(csv.Name, problem, csv.ETag, _clock.GetUtcNow(), ct);
        await claim.InvalidAsync(problem, ct);
        _log.LogInformation("Drop {Blob} is invalid and starts nothing: {Title} ({Field})", csv.Name, problem.Title, problem.Field ?? "file");
        return new DropResult("invalid", problem.UploadId, Detail: problem.Detail);
    }

    private async Task<DropResult> SupersededAsync(DropClaim claim, BlobInfo csv, CancellationToken ct)
    {
        await claim.SupersededAsync(ct);
        _log.LogInformation("Drop {Blob} changed or vanished while it was read; its new version is a drop of its own", csv.Name);
        return Ignored(SupersededDetail);
    }

    private const string SupersededDetail = "the CSV changed or vanished while it was read; a new version is a drop of its own";

    private static readonly DropResult InProgress = new("already_started", Detail: "being processed by another instance (or waiting to be retried)");

    private DropResult? Settled(TableRow receipt) => receipt.GetString("State") switch
    {
        DropReceipts.Started => new DropResult("already_started", receipt.GetString("UploadId"), receipt.GetString("BroadcastId")),
        DropReceipts.Invalid => new DropResult("invalid", receipt.GetString("UploadId"), Detail: receipt.GetString("Detail")),
        DropReceipts.Superseded => Ignored(SupersededDetail),
        _ => _receipts.IsLive(receipt) ? InProgress : null,
    };

    private static DropResult Ignored(string why) => new("ignored", Detail: why);

    private async Task<string?> FindCsvAsync(string sidecar, CancellationToken ct)
    {
        foreach (var name in DropNames.CsvsOf(sidecar))
            if (await _blobs.GetInfoAsync(Container, name, ct) is not null) return name;
        return null;
    }

    /// <summary>ETags never repeat: the same ETag after the read means every byte read was of this version.</summary>
    private async Task<bool> StillTheSameAsync(BlobInfo csv) =>
        (await _blobs.GetInfoAsync(Container, csv.Name, CancellationToken.None))?.ETag == csv.ETag;

    private TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromTicks(Math.Min(_options.PollInterval.Ticks << Math.Min(attempts - 1, 10), _options.ClaimLease.Ticks));

    /// <summary>Only the product's own storage messages are kept: others could carry URLs or keys.</summary>
    private static string Describe(Exception e) =>
        e is IOException or StorageConflictException or StoragePreconditionFailedException ? $"{e.GetType().Name}: {e.Message}" : e.GetType().Name;
}
