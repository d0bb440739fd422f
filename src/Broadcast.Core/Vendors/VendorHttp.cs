using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Broadcast.Core.Vendors;

/// <summary>The HTTP plumbing every adapter shares: the vendor's client (from IHttpClientFactory in the app), per-call
/// timeouts, the classification of every answer by what it proves (sent, refused, retry, maybe delivered), Retry-After, and the vendor's own error message (read by
/// <paramref name="errorMessage"/>, each vendor knows its shape) with secrets scrubbed.</summary>
/// <param name="client">Null only outside the app (tools, tests): then an own client on <see cref="CreateHandler"/>.</param>
/// <param name="saysNotSent">For a vendor whose error body can state that the message was not sent (Omnichat's
/// <c>"status": false</c>, a failed send whatever the HTTP status): such an answer is never "maybe delivered".</param>
public sealed class VendorHttp(VendorOptions options, HttpClient? client, Func<JsonElement, string?> errorMessage,
    Func<JsonElement, bool>? saysNotSent = null) : IDisposable
{
    private readonly HttpClient _client = client ?? new HttpClient(CreateHandler()) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly bool _ownsClient = client is null;
    private readonly VendorOptions _options = options;

    /// <summary>The connection pool every vendor client runs on. The pool recycles its own connections, so the
    /// factory keeps the handler for the app's life.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        MaxConnectionsPerServer = 512, // above any channel's MaxConcurrency, so the pool is never the limit
        // Long enough that a broadcast's calls reuse their connections, short enough that a vendor moving to new
        // addresses (DNS) is followed within minutes and without a restart.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // Well below the default per-call timeout (VendorOptions.TimeoutSeconds): an unreachable vendor fails fast as a
        // connection never made (certainly not sent, so retried) and leaves the call time for a retry.
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseCookies = false,
        // Our trace ids are ours: vendors get no traceparent header (the vendor-call span records the call instead).
        ActivityHeadersPropagator = null,
    };

    /// <summary>Per-call timeouts are <see cref="VendorOptions.TimeoutSeconds"/>, so the client itself never times out.</summary>
    public static void Configure(HttpClient client) => client.Timeout = Timeout.InfiniteTimeSpan;

    public Uri Url(string path) => new(new Uri(_options.BaseUrl!.TrimEnd('/') + "/"), path.TrimStart('/'));

    /// <summary>A request record as the vendor's JSON body (<see cref="VendorJson"/>).</summary>
    public static HttpContent JsonBody<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Sends and classifies by what the answer proves (<see cref="Classify"/>). <paramref name="read"/> sees a
    /// 2xx body and decides (Omnichat can refuse with 200).</summary>
    public async Task<SendResult> SendAsync(HttpRequestMessage request, Func<int, JsonElement, SendResult> read, CancellationToken ct)
    {
        var body = request.Content is { } content ? new TrackedRequestBody(content) : null;
        if (body is not null) request.Content = body;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.TimeoutSeconds)));
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return body is { Written: false }
                ? new SendResult(SendOutcome.Transient, Error: $"no connection within {_options.TimeoutSeconds} s: the request was not sent")
                : new SendResult(SendOutcome.Transient, Error: $"no answer within {_options.TimeoutSeconds} s after the request was sent", MaybeDelivered: true);
        }
        catch (HttpRequestException e)
        {
            // Certain not to have reached the vendor: the body never went out whole (connection refused, name or TLS
            // failure, a connection lost while sending). Once it has, a lost connection may follow the vendor's action.
            var sent = body?.Written ?? e.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError);
            return sent
                ? new SendResult(SendOutcome.Transient, Error: $"connection lost after the request was sent, no answer: {Reason(e)}", MaybeDelivered: true)
                : new SendResult(SendOutcome.Transient, Error: $"connection failed before the request was sent: {Reason(e)}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(ct);
            using var document = TryParse(text);
            var json = document?.RootElement ?? default;

            if (response.IsSuccessStatusCode)
            {
                var result = read(status, json);
                return result.StatusCode is null ? result with { StatusCode = status } : result;
            }

            var message = Scrub(errorMessage(json) ?? (text.Length > 0 && json.ValueKind == JsonValueKind.Undefined
                ? HtmlTitle(text, response.Content.Headers.ContentType?.MediaType) switch { null => text, "" => response.ReasonPhrase, var title => title }
                : response.ReasonPhrase) ?? "");
            var error = message.StartsWith($"{status} ", StringComparison.Ordinal) ? message : $"{status} {message}".Trim(); // "502 Bad Gateway" pages
            var (outcome, maybeDelivered) = Classify(status);
            if (maybeDelivered && json.ValueKind != JsonValueKind.Undefined && saysNotSent?.Invoke(json) == true) maybeDelivered = false;
            return new SendResult(outcome, Error: error, RetryAfter: RetryAfter(response), StatusCode: status, MaybeDelivered: maybeDelivered);
        }
    }

    /// <summary>What an error status proves about the call. Retried under both guarantees only when it proves the
    /// vendor did not act: 429 (refused for the rate), 503 (refused while unavailable) and 408 (the server never had
    /// the whole request). Any other 5xx (500, 502, 504...) may come after the vendor, or a gateway in front of it,
    /// passed the message on: maybe delivered, so at_most_once ends it unknown and at_least_once retries it. Any other
    /// 4xx is a refusal, not processed and not worth repeating. None of the three vendors documents a 4xx of its own
    /// as "not processed, try again"; a vendor that does reclassifies it in its client.</summary>
    public static (SendOutcome Outcome, bool MaybeDelivered) Classify(int status) => status switch
    {
        408 or 429 or 503 => (SendOutcome.Transient, false),
        >= 500 => (SendOutcome.Transient, true),
        _ => (SendOutcome.Permanent, false),
    };

    /// <summary>Why a connection failed, as the error kind and the socket's own reason ("ConnectionError
    /// (ConnectionRefused)"): never a URL, which could carry a key.</summary>
    private static string Reason(HttpRequestException e)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is System.Net.Sockets.SocketException socket) return $"{e.HttpRequestError} ({socket.SocketErrorCode})";
        return e.HttpRequestError.ToString();
    }

    private static JsonDocument? TryParse(string body)
    {
        if (body.Length == 0) return null;
        try { return JsonDocument.Parse(body); }
        catch (JsonException) { return null; }
    }

    /// <summary>The common error shapes, {"message"} or {"error"}, as text; vendors with their own shape read it first.</summary>
    public static string? ErrorMessage(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) return null;
        if (json.TryGetProperty("message", out var message))
            return message.ValueKind == JsonValueKind.String ? message.GetString() : message.GetRawText();
        if (json.TryGetProperty("error", out var error))
            return error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText();
        return null;
    }

    /// <summary>A Retry-After date is measured from the vendor's own Date header, so clock skew between us and the
    /// vendor does not stretch or cut the wait; only an answer without a Date is measured from our clock.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is not { } date) return null;
        var wait = date - (response.Headers.Date ?? TimeProvider.System.GetUtcNow());
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Vendors sometimes echo what they received; never let a key out that way: neither this vendor's secrets
    /// nor any other the app holds (<see cref="VendorOptions.OtherSecrets"/>).</summary>
    public string Scrub(string text)
    {
        // Longest first, so a secret containing another is hidden whole; shorter values are too likely to be ordinary text.
        foreach (var secret in _options.Secrets.Concat(_options.OtherSecrets).OfType<string>().Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length))
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text.Length > 500 ? text[..500] + "…" : text;
    }

    /// <summary>An HTML error page (a proxy's, a web server's, whatever holds the vendor's address) is stored as its
    /// title, or as nothing but its status: never the page.</summary>
    public static string? HtmlTitle(string body, string? mediaType)
    {
        var isHtml = mediaType is "text/html" or "application/xhtml+xml"
            || body.AsSpan().TrimStart().StartsWith("<", StringComparison.Ordinal);
        if (!isHtml) return null;
        var start = body.IndexOf("<title", StringComparison.OrdinalIgnoreCase);
        var open = start < 0 ? -1 : body.IndexOf('>', start);
        var end = open < 0 ? -1 : body.IndexOf("</title", open, StringComparison.OrdinalIgnoreCase);
        if (end < 0) return "";
        var title = System.Net.WebUtility.HtmlDecode(body[(open + 1)..end]);
        return string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Sends and classifies like <see cref="SendAsync"/>; a 2xx is accepted with its JSON body for the caller
    /// to read (Qiscus's two bulk steps).</summary>
    public async Task<(SendResult Answer, JsonElement Json)> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        JsonElement captured = default;
        var result = await SendAsync(request, (_, json) =>
        {
            captured = json.ValueKind == JsonValueKind.Undefined ? default : json.Clone();
            return SendResult.Accepted(null);
        }, ct);
        return (result, result.Outcome == SendOutcome.Accepted ? captured : default);
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

    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }
}
