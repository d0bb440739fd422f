using System.Net.Http.Headers;
using System.Text;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Functions;
using Broadcast.Functions.Http;
using Broadcast.Functions.Uploads;
using Broadcast.Tests.Infrastructure.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Broadcast.Tests.Unit.Uploads;

/// <summary>The upload code as the app registers it (<see cref="UploadServices"/> and <see cref="VendorServices"/>)
/// on the in-memory storage and a fake clock. A test hands the importer a stream as a blob drop does, or hands
/// <see cref="UploadRequestBody"/> a request built in memory as POST /api/uploads does: no server, no sockets, no
/// Azurite. What a refusal would be answered with is <see cref="ProblemExceptionHandler.StatusOf"/> of it.</summary>
public sealed class UploadHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public UploadHarness(long? maxBytes = null, long? maxRows = null)
    {
        Storage = new InMemoryStorage(Clock);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IStorage>(Storage);
        services.AddSingleton(Names);
        services.Configure<UploadOptions>(o =>
        {
            if (maxBytes is { } bytes) o.MaxBytes = bytes;
            if (maxRows is { } rows) o.MaxRows = rows;
        });
        services.AddOptions<MessagingOptions>();
        services.AddVendors(new ConfigurationBuilder().Build(), () => []);
        services.AddUploads();
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    public InMemoryStorage Storage { get; }
    public StorageNames Names { get; } = new("unit");
    public UploadImporter Importer => _services.GetRequiredService<UploadImporter>();
    public UploadCatalog Catalog => _services.GetRequiredService<UploadCatalog>();
    public long MaxBytes => _services.GetRequiredService<IOptions<UploadOptions>>().Value.MaxBytes;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public Task<UploadSummary> ImportAsync(string csv, UploadRequest? request = null) => ImportAsync(Utf8(csv), request);

    public Task<UploadSummary> ImportAsync(byte[] csv, UploadRequest? request = null) =>
        Importer.ImportAsync(new MemoryStream(csv), request ?? UploadRequest.None, CancellationToken.None);

    /// <summary>POST /api/uploads as multipart/form-data: hint fields, the <c>file</c> field, more fields.</summary>
    public async Task<UploadSummary> PostFormAsync(byte[] csv, IEnumerable<(string Name, string Value)>? fieldsBefore = null,
        IEnumerable<(string Name, string Value)>? fieldsAfter = null, string query = "")
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fieldsBefore ?? []) form.Add(new StringContent(value), name);
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "recipients.csv");
        foreach (var (name, value) in fieldsAfter ?? []) form.Add(new StringContent(value), name);
        return await PostAsync(form, query);
    }

    public async Task<UploadSummary> PostAsync(HttpContent content, string query = "", bool lengthKnown = true)
    {
        var body = await content.ReadAsByteArrayAsync();
        return await PostBodyAsync(body, content.Headers.ContentType?.ToString(), query, lengthKnown);
    }

    /// <summary>POST /api/uploads with <paramref name="body"/> as it is (a text/csv body, or anything else); without a
    /// known length it is read as a chunked body is, counted as it comes.</summary>
    public async Task<UploadSummary> PostBodyAsync(byte[] body, string? contentType = "text/csv", string query = "", bool lengthKnown = true)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/api/uploads";
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        if (lengthKnown) context.Request.ContentLength = body.Length;
        return await UploadRequestBody.ImportAsync(context.Request, Importer, Catalog, MaxBytes, CancellationToken.None);
    }

    /// <summary>Asserts the upload is refused with the answer's status, field and detail, and that nothing of it is
    /// kept (no blob, no summary row).</summary>
    public async Task<UploadRejectedException> RefusedAsync(Func<Task> upload, int status, string detail, string field = "file")
    {
        var before = await StoredAsync();
        var refused = await Assert.ThrowsAsync<UploadRejectedException>(upload);

        Assert.Equal(status, ProblemExceptionHandler.StatusOf(refused.Refusal));
        Assert.Equal(field, refused.Field);
        Assert.Contains(detail, refused.Detail);
        var after = await StoredAsync();
        Assert.Equal(before.Summaries, after.Summaries);
        Assert.Equal(before.Blobs, after.Blobs);
        return refused;
    }

    public async Task<List<Recipient>> RecipientsAsync(UploadSummary summary)
    {
        var reader = new RecipientSetReader(Storage.Blobs);
        var list = new List<Recipient>();
        await foreach (var r in reader.ReadAllAsync(summary.Recipients, CancellationToken.None)) list.Add(r);
        return list;
    }

    public Task<byte[]?> OriginalAsync(string uploadId) =>
        Storage.Blobs.ReadAllAsync(Names.UploadsContainer, UploadCatalog.OriginalBlob(uploadId), CancellationToken.None);

    /// <summary>Every blob in the uploads container and the number of summary rows: what "nothing kept" is checked against.</summary>
    public async Task<(List<string> Blobs, int Summaries)> StoredAsync()
    {
        var blobs = new List<string>();
        await foreach (var b in Storage.Blobs.ListAsync(Names.UploadsContainer, null, CancellationToken.None)) blobs.Add(b.Name);
        var rows = await Storage.Tables.QueryAsync(Names.UploadsTable, "upload", null, 1000, null, CancellationToken.None);
        return ([.. blobs.Order(StringComparer.Ordinal)], rows.Rows.Count);
    }

    public static List<(long Row, string? Column, string Error)> Errors(IEnumerable<UploadError> errors) =>
        [.. errors.Select(e => (e.Row, e.Column, e.Error))];

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
