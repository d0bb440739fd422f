using System.Net.Http.Headers;
using System.Text.Json;

namespace Broadcast.Core.Vendors;

/// <summary>The HTTP plumbing every adapter shares: one pooled client per vendor, per-call timeouts, the
/// transient/permanent classification, Retry-After, and the vendor's error message with secrets scrubbed.</summary>
public sealed class VendorHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly VendorOptions _options;

    public VendorHttp(VendorOptions options)
    {
        _options = options;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Url(string path) => new(new Uri(_options.BaseUrl!.TrimEnd('/') + "/"), path.TrimStart('/'));

    public static HttpContent JsonBody(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Sends and classifies. <paramref name="read"/> sees a 2xx body and decides (Omnichat can refuse with 200).</summary>
    public async Task<SendResult> SendAsync(HttpRequestMessage request, Func<int, JsonElement, SendResult> read, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.TimeoutSeconds)));
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.Transient, Error: $"no answer within {_options.TimeoutSeconds} s", MaybeDelivered: true);
        }
        catch (HttpRequestException e)
        {
            // Only a refused or failed connection is certain not to have reached the vendor.
            var beforeSending = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;
            return new SendResult(SendOutcome.Transient, Error: $"connection failed: {e.HttpRequestError}", MaybeDelivered: !beforeSending);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(ct);
            using var document = TryParse(body);
            var json = document?.RootElement ?? default;

            if (response.IsSuccessStatusCode) return read(status, json);

            var message = Scrub(ErrorMessage(json) ?? (body.Length > 0 && json.ValueKind == JsonValueKind.Undefined ? body : response.ReasonPhrase) ?? "");
            var error = $"{status} {message}".Trim();
            var transient = status is 408 or 429 || status >= 500;
            return new SendResult(transient ? SendOutcome.Transient : SendOutcome.Permanent, Error: error,
                RetryAfter: RetryAfter(response), StatusCode: status);
        }
    }

    private static JsonDocument? TryParse(string body)
    {
        if (body.Length == 0) return null;
        try { return JsonDocument.Parse(body); }
        catch (JsonException) { return null; }
    }

    /// <summary>The message a vendor puts in its error bodies: Qiscus {"errors":{"message"}}, Khoros and Omnichat {"message"}.</summary>
    public static string? ErrorMessage(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return null;
        if (json.TryGetProperty("errors", out var errors))
        {
            if (errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) return m.GetString();
            if (errors.ValueKind == JsonValueKind.String) return errors.GetString();
            return errors.GetRawText();
        }
        if (json.TryGetProperty("message", out var message))
            return message.ValueKind == JsonValueKind.String ? message.GetString() : message.GetRawText();
        if (json.TryGetProperty("error", out var error))
            return error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText();
        return null;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    /// <summary>Vendors sometimes echo what they received; never let a key out that way.</summary>
    public string Scrub(string text)
    {
        foreach (var secret in _options.Secrets)
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text.Length > 500 ? text[..500] + "…" : text;
    }

    public async Task<(int Status, JsonElement Json, string? Error, TimeSpan? RetryAfter)> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        JsonElement captured = default;
        var result = await SendAsync(request, (_, json) =>
        {
            captured = json.ValueKind == JsonValueKind.Undefined ? default : json.Clone();
            return SendResult.Accepted(null);
        }, ct);
        return result.Outcome == SendOutcome.Accepted
            ? (200, captured, null, null)
            : (result.StatusCode ?? 0, default, result.Error, result.RetryAfter);
    }

    public static string? Text(JsonElement json, params string[] path)
    {
        var e = json;
        foreach (var p in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        }
        return e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            _ => null,
        };
    }

    public void Dispose() => _client.Dispose();
}
