using Broadcast.Core.Messaging;
using Broadcast.Core.Uploads;
using Broadcast.Functions.Apis;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Broadcast.Functions.Uploads;

/// <summary>Streams the CSV of a POST /api/uploads into the importer without buffering it: the <c>file</c> section of
/// a multipart form (hint fields before it), or the whole body when it is sent as text/csv. Hints can also come as
/// query parameters; a form field overrides the query.</summary>
internal static class UploadRequestBody
{
    /// <summary>The hints, as form fields before <c>file</c> or as query parameters.</summary>
    public static readonly QueryParameter[] HintParameters =
    [
        new("separator", "The CSV's separator; detected when absent.") { Values = [",", ";"] },
        QueryParameter.Words<Provider>("provider", "The provider the recipients are for: its layout and number rules apply."),
        new("template", "The name of a registered template, the template's variables count, or the names of its named variables (comma-separated)."),
    ];

    private const string FileField = "file";
    private static readonly string[] HintFields = HintParameters.Select(p => p.Name).ToArray();
    private static readonly string[] FormFields = [.. HintFields, FileField];
    private const int MaxHintLength = 4096;
    private const long MultipartOverhead = 1024 * 1024;

    /// <param name="templates">When given, a <c>template</c> hint that names a registered template checks the rows
    /// against the variables of its variant for the upload's provider.</param>
    public static async Task<UploadSummary> ImportAsync(HttpRequest request, UploadImporter importer, UploadCatalog catalog, long maxBytes,
        CancellationToken ct, Core.Templates.TemplateRegistry? templates = null)
    {
        var multipart = request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        if (request.ContentLength > maxBytes + (multipart ? MultipartOverhead : 0))
            throw UploadRejectedException.OverMaxBytes(maxBytes);
        // Our own limit applies (the importer counts the file's bytes); Kestrel's default of 30 MB must not cut in first.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = maxBytes + MultipartOverhead;

        var hints = HintFields.ToDictionary(f => f, f => (string?)request.Query[f].FirstOrDefault(), StringComparer.OrdinalIgnoreCase);
        if (!multipart)
        {
            if (!IsCsvContentType(request.ContentType))
                throw new UploadRejectedException(Core.Refusal.UnsupportedContent, "Unsupported content type",
                    "Send the CSV as multipart/form-data field 'file', or as the body with Content-Type text/csv.", "file");
            return await importer.ImportAsync(request.Body, await ParseHintsAsync(hints, templates, ct), ct);
        }

        var reader = new MultipartReader(Boundary(request.ContentType!), request.Body);
        UploadSummary? summary = null;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                ? HeaderUtilities.RemoveQuotes(disposition.Name).Value : null;
            var isFile = string.Equals(name, FileField, StringComparison.OrdinalIgnoreCase);
            var isHint = name is not null && HintFields.Contains(name, StringComparer.OrdinalIgnoreCase);
            if (!isFile && !isHint)
            {
                // Refused like a misspelt JSON field: "templat=2" ignored would check the file against no template.
                if (summary is not null) await catalog.DeleteAsync(summary.UploadId, CancellationToken.None);
                throw string.IsNullOrEmpty(name)
                    ? UploadRejectedException.BadField("body", "Every part of the form has a name: Content-Disposition: form-data; name=\"...\".")
                    : new UnknownFieldException("form field", null, name, FormFields);
            }
            if (summary is not null && (isHint || isFile))
            {
                await catalog.DeleteAsync(summary.UploadId, CancellationToken.None);
                throw UploadRejectedException.BadField(name!, isFile
                    ? "Send one file per upload."
                    : $"Field '{name}' came after the file: send the hint fields before 'file' (or as query parameters).");
            }
            if (isFile) summary = await importer.ImportAsync(section.Body, await ParseHintsAsync(hints, templates, ct), ct);
            else hints[name!] = await ReadFieldAsync(section.Body, name!, ct);
        }
        return summary ?? throw UploadRejectedException.BadField("file", "The form has no field 'file' holding the CSV.");
    }

    private static async Task<UploadRequest> ParseHintsAsync(Dictionary<string, string?> hints, Core.Templates.TemplateRegistry? templates, CancellationToken ct)
    {
        var hint = hints["template"]?.Trim();
        if (templates is not null && Core.Templates.TemplateNames.IsValid(hint) && !hint!.All(char.IsAsciiDigit)
            && await templates.GetAsync(hint!, ct) is { } template)
        {
            var request = UploadRequest.Parse(hints["separator"], hints["provider"], null);
            var variant = request.Provider is { } provider
                ? template.VariantFor(provider) ?? throw UploadRejectedException.BadField("provider", $"Template '{template.Name}' has no {provider.ToString().ToLowerInvariant()} variant.")
                : template.Variants.Count == 1 ? template.Variants.Values.Single()
                : throw UploadRejectedException.BadField("provider", $"Template '{template.Name}' has variants for several providers: name the provider the rows are for.");
            return request with { Template = Core.Templates.TemplateUse.Hint(variant) };
        }
        return UploadRequest.Parse(hints["separator"], hints["provider"], hints["template"]);
    }

    private static bool IsCsvContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return true;
        var media = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value : null;
        return media is not null && (media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/csv", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/vnd.ms-excel", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase));
    }

    private static string Boundary(string contentType)
    {
        var boundary = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? HeaderUtilities.RemoveQuotes(parsed.Boundary).Value : null;
        return string.IsNullOrEmpty(boundary)
            ? throw UploadRejectedException.BadField("file", "The multipart/form-data content type has no boundary.")
            : boundary;
    }

    private static async Task<string> ReadFieldAsync(Stream body, string name, CancellationToken ct)
    {
        var buffer = new byte[MaxHintLength + 1];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += n;
        if (length > MaxHintLength) throw UploadRejectedException.BadField(name, $"Field '{name}' is longer than {MaxHintLength} bytes.");
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }
}
