using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Integration.Uploads;

public sealed record UploadResult(HttpStatusCode Status, JsonElement Body, string? ContentType, Uri? Location)
{
    public string Id => Body.GetProperty("upload_id").GetString()!;
    public long Count(string name) => Body.GetProperty(name).GetInt64();
    public string Text(string name) => Body.GetProperty(name).GetString()!;
    public List<string> Strings(string name) => [.. Body.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    public List<(long Row, string? Column, string Error)> Errors => [.. Body.GetProperty("errors").EnumerateArray().Select(e => (
        e.GetProperty("row").GetInt64(),
        e.GetProperty("column").ValueKind == JsonValueKind.Null ? null : e.GetProperty("column").GetString(),
        e.GetProperty("error").GetString()!))];

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>Calls POST/GET /api/uploads on a real app and looks at what it stored in (real) Azurite; the broadcast,
/// telemetry and upload endpoint tests upload through it.</summary>
public static class UploadTestApi
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task<UploadResult> PostFileAsync(this TestApp app, byte[] csv, IEnumerable<(string Name, string Value)>? fieldsBefore = null,
        IEnumerable<(string Name, string Value)>? fieldsAfter = null, string query = "")
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fieldsBefore ?? []) form.Add(new StringContent(value), name);
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "recipients.csv");
        foreach (var (name, value) in fieldsAfter ?? []) form.Add(new StringContent(value), name);
        return await ReadAsync(await app.Client.PostAsync("api/uploads" + query, form));
    }

    public static async Task<UploadResult> PostRawAsync(this TestApp app, byte[] body, string contentType = "text/csv", string query = "")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await ReadAsync(await app.Client.PostAsync("api/uploads" + query, content));
    }

    public static async Task<UploadResult> GetAsync(this TestApp app, string path) => await ReadAsync(await app.Client.GetAsync(path));

    private static async Task<UploadResult> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            return new UploadResult(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, response.Headers.Location);
        }
    }

    public static async Task<byte[]?> OriginalAsync(this TestApp app, string id)
    {
        var (storage, names) = Storage(app);
        return await storage.Blobs.ReadAllAsync(names.UploadsContainer, $"{id}/original.csv", CancellationToken.None);
    }

    public static async Task<List<Recipient>> RecipientsAsync(this TestApp app, string id)
    {
        var summary = await app.Services.GetRequiredService<IUploadCatalog>().GetAsync(id, CancellationToken.None)
            ?? throw new InvalidOperationException($"upload {id} is not in the catalog");
        var list = new List<Recipient>();
        await foreach (var r in app.Services.GetRequiredService<RecipientSetReader>().ReadAllAsync(summary.Recipients, CancellationToken.None))
            list.Add(r);
        return list;
    }

    /// <summary>Every blob in the uploads container and every summary row: what "nothing kept" is checked against.</summary>
    public static async Task<(List<string> Blobs, int Summaries)> StoredAsync(this TestApp app)
    {
        var (storage, names) = Storage(app);
        var blobs = new List<string>();
        await foreach (var b in storage.Blobs.ListAsync(names.UploadsContainer, null, CancellationToken.None)) blobs.Add(b.Name);
        var rows = await storage.Tables.QueryAsync(names.UploadsTable, "upload", null, 1000, null, CancellationToken.None);
        return (blobs, rows.Rows.Count);
    }

    private static (IStorage, StorageNames) Storage(TestApp app) =>
        (app.Services.GetRequiredService<IStorage>(), app.Services.GetRequiredService<StorageNames>());
}

/// <summary>Compares what <see cref="UploadTestApi.StoredAsync"/> found, whatever order storage listed the blobs in.</summary>
public sealed class StoredEquality : IEqualityComparer<(List<string> Blobs, int Summaries)>
{
    public static readonly StoredEquality Instance = new();

    public bool Equals((List<string> Blobs, int Summaries) x, (List<string> Blobs, int Summaries) y) =>
        x.Summaries == y.Summaries && x.Blobs.Order().SequenceEqual(y.Blobs.Order());

    public int GetHashCode((List<string> Blobs, int Summaries) obj) => obj.Summaries;
}
