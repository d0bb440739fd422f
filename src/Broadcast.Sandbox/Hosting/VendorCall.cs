using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;

namespace Broadcast.Sandbox.Hosting;

/// <summary>Writes a vendor's error body.</summary>
internal delegate Task VendorErrorWriter(VendorCall call, int status, string message);

/// <summary>One request to a vendor endpoint: its body, the behaviour in force, and how it was answered.</summary>
internal sealed class VendorCall(HttpContext http, SandboxState state, VendorLedger ledger, ActiveBehavior behavior, VendorErrorWriter writeError)
{
    private const long MaxBufferedBody = 16 * 1024 * 1024;

    public HttpContext Http { get; } = http;
    public SandboxState State { get; } = state;
    public ActiveBehavior Behavior { get; } = behavior;
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The raw body, unless the request was multipart.</summary>
    public byte[] RawBody { get; private set; } = [];

    /// <summary>The parts of a multipart body; null when the request was not multipart.</summary>
    public MultipartRecord? Form { get; private set; }

    /// <summary>Why a multipart body could not be read, if it could not.</summary>
    public string? FormError { get; private set; }

    public int StatusCode { get; private set; } = StatusCodes.Status500InternalServerError;
    public bool Accepted { get; private set; }

    public bool IsMultipart => MediaType is { } type && type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    public bool IsJson => MediaType is { } type && type.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private string? MediaType =>
        MediaTypeHeaderValue.TryParse(Http.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;

    public async Task ReadBodyAsync()
    {
        var request = Http.Request;
        if (IsMultipart)
        {
            try
            {
                var form = await request.ReadFormAsync(Aborted);
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in form)
                    fields[key] = value.ToString();
                var files = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var file in form.Files)
                {
                    using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                    files[file.Name] = await reader.ReadToEndAsync(Aborted);
                }
                Form = new MultipartRecord(fields, files);
            }
            catch (InvalidDataException e)
            {
                FormError = e.Message;
            }
            return;
        }

        if (request.ContentLength is long length and <= MaxBufferedBody)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, Aborted);
            RawBody = buffer;
        }
        else
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, Aborted);
            RawBody = copy.ToArray();
        }
    }

    /// <summary>Applies latency, rate limit and FailNext. True when the request has been answered.</summary>
    public async Task<bool> GateAsync()
    {
        var behavior = Behavior.Behavior;
        if (behavior.LatencyMs > 0)
            await Task.Delay(behavior.LatencyMs, Aborted);

        if (Behavior.Bucket is { } bucket && !bucket.TryTake())
        {
            Http.Response.Headers.RetryAfter = "1";
            await RejectAsync(StatusCodes.Status429TooManyRequests, "Too Many Requests");
            return true;
        }

        if (Behavior.TryConsumeFail())
        {
            if (behavior.RetryAfterSeconds is int retryAfter)
                Http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RejectAsync(behavior.FailStatus, behavior.FailMessage ?? ReasonPhrase(behavior.FailStatus));
            return true;
        }

        return false;
    }

    /// <summary>Parses the raw body as JSON, or null when it is not valid JSON.</summary>
    public JsonDocument? ParseJson()
    {
        try
        {
            return JsonDocument.Parse(RawBody, SandboxJson.DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task RejectAsync(int status, string message) => writeError(this, status, message);

    public void Deliver(string recipient) => ledger.Deliver(recipient);

    public async Task RespondAsync<T>(int status, T body, JsonTypeInfo<T> typeInfo, bool accepted)
    {
        StatusCode = status;
        Accepted = accepted;
        CountOutcome(); // before the answer leaves: a client that has it finds it counted
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, typeInfo);
        var response = Http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, Aborted);
    }

    public void MarkAborted() => StatusCode = 499;

    /// <summary>The page a proxy in front of the vendor answers with: HTML, its title the status and message.</summary>
    private async Task RespondAsGatewayAsync(int status, string message)
    {
        StatusCode = status;
        CountOutcome();
        var title = System.Net.WebUtility.HtmlEncode($"{status} {message}");
        var bytes = Encoding.UTF8.GetBytes($"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center><hr><center>gateway</center></body></html>");
        var response = Http.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, Aborted);
    }

    /// <summary>The fault of the first of <paramref name="recipients"/> that has one (<see cref="ActiveBehavior.TakeFault"/>).</summary>
    public PhoneFault? FaultFor(IEnumerable<string> recipients)
    {
        if (!Behavior.HasPhoneFaults) return null;
        foreach (var recipient in recipients)
            if (Behavior.TakeFault(recipient) is { } fault) return fault;
        return null;
    }

    /// <summary>Answers with <paramref name="fault"/> for a request carrying <paramref name="recipients"/>: after
    /// delivering to them when the fault says the vendor took the message, an error status in the vendor's shape, no
    /// answer until the caller gives up, or a dropped connection.</summary>
    public async Task AnswerFaultAsync(PhoneFault fault, IEnumerable<string> recipients)
    {
        if (fault.Delivered)
            foreach (var recipient in recipients) Deliver(recipient);
        if (fault.Status is int status)
        {
            if (fault.RetryAfterSeconds is int retryAfter)
                Http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (fault.Gateway) await RespondAsGatewayAsync(status, fault.Message ?? ReasonPhrase(status));
            else await RejectAsync(status, fault.Message ?? ReasonPhrase(status));
        }
        else if (fault.Hang)
        {
            // Ends when the caller gives up (or the sandbox stops): the endpoint then records the call as aborted.
            await Task.Delay(Timeout.InfiniteTimeSpan, Aborted);
        }
        else
        {
            StatusCode = PhoneFault.ResetStatusCode;
            Http.Abort();
        }
    }

    private int _counted;

    /// <summary>Counts this call accepted or rejected in the vendor's ledger, once.</summary>
    public void CountOutcome()
    {
        if (Interlocked.Exchange(ref _counted, 1) == 0) ledger.CountOutcome(Accepted);
    }

    public RecordedRequest ToRecord(long seq, string vendor, DateTimeOffset receivedAt)
    {
        var request = Http.Request;
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
            headers[name] = string.Join(", ", values.ToArray());
        var body = Form is not null
            ? JsonSerializer.Serialize(Form, SandboxJson.Context.MultipartRecord)
            : Encoding.UTF8.GetString(RawBody);
        return new RecordedRequest(seq, vendor, request.Method, request.Path.Value ?? "", headers,
            request.ContentType, body, receivedAt, StatusCode);
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}";
}
