using System.Globalization;
using System.Text;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Vendors;
using Broadcast.Core.Telemetry;
using CsvHelper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Broadcast.Core.Uploads;

/// <summary>Validates a CSV of recipients and stores it, reading the bytes once as they arrive: the original goes to
/// <c>{id}/original.csv</c> unchanged, the valid recipients to a recipient set, every row error to
/// <c>{id}/errors.ndjson</c>, the summary to the uploads table. Memory does not grow with the file, but for about 30 bytes
/// per distinct number (to find duplicates and name the row each one repeats). HTTP uploads and blob drops both come through here.</summary>
public sealed class UploadImporter(
    IStorage storage,
    UploadCatalog catalog,
    IOptions<UploadOptions> options,
    IOptions<MessagingOptions> messaging,
    VendorRegistry vendors,
    TimeProvider clock,
    ILogger<UploadImporter> log)
{
    /// <summary>A longer record is refused: it is a quote left open swallowing the file, not a recipient.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>Uploads validated at once: validation is CPU work, and more of it at once than half the cores only
    /// takes the CPU from the small requests beside it (a burst of uploads kept health checks waiting: the load
    /// benchmark in docs/benchmarks.md). The others wait their turn without holding a thread.</summary>
    private readonly SemaphoreSlim _validating = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>The CSV layouts of the registered vendors, each from its own folder (<see cref="VendorCapabilities.CsvLayout"/>).</summary>
    private readonly IReadOnlyList<CsvLayout> _layouts = [.. vendors.All.Select(v => v.Capabilities.CsvLayout).OfType<CsvLayout>().Distinct()];

    /// <summary>Rows validated between two turns of giving the thread back: a few milliseconds of work, short beside
    /// a request's own latency, long beside the cost of a yield.</summary>
    private const int YieldEveryRows = 256;

    /// <summary>Imports the CSV in <paramref name="body"/>. An upload without a valid recipient is stored (its errors
    /// can be paged) but not <see cref="UploadSummary.Usable"/>. Throws <see cref="UploadRejectedException"/> for a
    /// file refused outright, and then keeps nothing of it.</summary>
    public async Task<UploadSummary> ImportAsync(Stream body, UploadRequest request, CancellationToken ct)
    {
        var id = UploadCatalog.NewId();
        try
        {
            UploadSummary summary;
            await _validating.WaitAsync(ct);
            try
            {
                summary = await ReadAndStoreAsync(id, body, request, ct);
            }
            finally
            {
                _validating.Release();
            }
            await catalog.SaveAsync(summary, ct);
            log.LogInformation("Upload {UploadId} ({Layout}): {Valid} valid recipients of {Total} rows, {Invalid} invalid, {Duplicates} duplicates",
                id, summary.Layout, summary.ValidRecipients, summary.TotalRows, summary.InvalidRows, summary.DuplicatesRemoved);
            BroadcastMetrics.UploadImported(summary);
            return summary;
        }
        catch (Exception e)
        {
            if (e is UploadRejectedException rejected)
            {
                log.LogInformation("Upload refused ({Status}): {Reason}", rejected.Refusal, rejected.Title);
                BroadcastMetrics.UploadRejected();
            }
            if (e is StorageUnavailableException)
            {
                // Storage is what failed: the caller hears 503 now, and the partial upload is deleted when storage answers.
                using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => DeletePartialAsync(id), CancellationToken.None);
            }
            else await DeletePartialAsync(id);
            throw;
        }
    }

    private async Task DeletePartialAsync(string id)
    {
        try
        {
            await catalog.DeleteAsync(id, CancellationToken.None);
        }
        catch (Exception cleanup)
        {
            log.LogWarning("Could not delete the partial upload {UploadId}: {Error}", id, cleanup.GetType().Name);
        }
    }

    private async Task<UploadSummary> ReadAndStoreAsync(string id, Stream body, UploadRequest request, CancellationToken ct)
    {
        var limits = options.Value;
        var start = await UploadText.ReadStartAsync(body, ct);
        var (encoding, bomLength) = UploadText.DetectEncoding(start);
        if (encoding is UTF32Encoding)
            throw UploadRejectedException.NotText("The file is UTF-32 text, which is not supported: save it as 'CSV UTF-8' (or UTF-16).");
        var separator = request.Separator ?? UploadText.DetectSeparator(start, encoding, bomLength);

        var original = await storage.Blobs.OpenWriteAsync(catalog.Container, UploadCatalog.OriginalBlob(id), "text/csv", ct);
        var originalStored = false;
        try
        {
            var input = new UploadInputStream(start, body, original, limits.MaxBytes,
                checkUtf8: encoding.CodePage == Encoding.UTF8.CodePage);
            long unclosedQuoteRow = 0;
            var csvOptions = CsvReaderOptions.Default with
            {
                Separator = separator,
                DetectSeparatorHint = false,
                TrackLineNumbers = true,
                MaxRecordSize = MaxRecordBytes,
                OnMalformedRecord = m =>
                {
                    if (m.Reason == CsvMalformedReason.UnterminatedQuote) unclosedQuoteRow = m.LineNumber;
                },
            };
            await using var csv = CsvReader.Create(input, csvOptions, leaveOpen: true);
            try
            {
                await csv.ReadHeaderAsync(ct);
                if (csv.Headers.Count == 0) throw UploadRejectedException.BadFile("The file is empty.");
                var columns = RecipientColumns.FromHeader(csv.Headers, csv.LineNumber, _layouts);
                columns.CheckAgainst(request, request.Provider is { } provider ? vendors[provider].Capabilities : null);

                await using var recipients = await RecipientSetWriter.CreateAsync(storage.Blobs, catalog.RecipientsOf(id), ct);
                await using var errors = await UploadErrorLog.CreateAsync(storage.Blobs, catalog.Container, UploadCatalog.ErrorsBlob(id), ct);
                var firstRowOf = new Dictionary<long, int>();
                var rowErrors = new List<UploadError>();
                var landlineRows = new List<long>();
                long total = 0, invalid = 0, duplicates = 0, landlines = 0, read = 0;
                var countryCode = messaging.Value.DefaultCountryCode;
                while (await csv.ReadAsync(ct))
                {
                    // A body already received is read without ever waiting: give the thread back now and then, or a
                    // burst of uploads holds every pool thread while health checks and accepts queue behind them.
                    if (++read % YieldEveryRows == 0) await Task.Yield();
                    if (RecipientColumns.IsBlankRecord(csv)) continue;
                    if (++total > limits.MaxRows)
                        throw UploadRejectedException.TooLarge(
                            string.Create(CultureInfo.InvariantCulture, $"The file has more than {limits.MaxRows:N0} rows (setting Uploads__MaxRows)."));
                    var row = (int)csv.LineNumber;
                    rowErrors.Clear();
                    var recipient = columns.Read(csv, row, countryCode, rowErrors, out var landline);
                    if (row == unclosedQuoteRow)
                    {
                        rowErrors.Add(new UploadError(row, null, "a quoted value is never closed, so the rest of the file was read into it"));
                        recipient = null;
                    }
                    if (recipient is null)
                    {
                        invalid++;
                        foreach (var error in rowErrors) await errors.AddAsync(error, ct);
                        continue;
                    }
                    var number = long.Parse(recipient.Phone, NumberStyles.None, CultureInfo.InvariantCulture);
                    if (!firstRowOf.TryAdd(number, row))
                    {
                        duplicates++;
                        await errors.AddAsync(new UploadError(row, columns.PhoneColumn, $"duplicate of row {firstRowOf[number]}"), ct);
                        continue;
                    }
                    await recipients.AddAsync(recipient, ct);
                    if (landline && ++landlines <= UploadSummary.MaxLandlineRows) landlineRows.Add(row);
                }
                if (total == 0) throw UploadRejectedException.BadFile("The file has a header but no rows.");

                await recipients.CompleteAsync(ct);
                await errors.CompleteAsync(ct);
                await original.DisposeAsync();
                originalStored = true;
                return new UploadSummary(id, columns.Layout, separator.ToString(), columns.Columns, total, recipients.Count, invalid, duplicates,
                    errors.First, clock.GetUtcNow(), columns.VariableNames, catalog.RecipientsOf(id), landlines, landlineRows);
            }
            catch (CsvFormatException e)
            {
                // The only format error the reader throws with these options: a record over MaxRecordSize.
                throw UploadRejectedException.BadFile(
                    $"The record at line {e.LineNumber} is longer than {MaxRecordBytes / (1024 * 1024)} MB: is a quote left open?", e.LineNumber);
            }
        }
        finally
        {
            // Abandoned, not committed: disposing synchronously drops what was buffered without a storage call.
            if (!originalStored) original.Dispose();
        }
    }
}
