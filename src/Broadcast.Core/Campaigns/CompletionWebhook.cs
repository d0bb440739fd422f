using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Campaigns;

/// <summary>What a completion webhook carries: the broadcast's final state as <c>GET /api/broadcasts/{id}</c> shows it
/// (the app registers its API's form; this default is for hosts without one).</summary>
public interface IFinalStateBody
{
    byte[] Of(BroadcastRecord record);
}

internal sealed class MinimalFinalStateBody : IFinalStateBody
{
    public byte[] Of(BroadcastRecord record) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = record.Id, status = record.Status, completed_at = record.CompletedAt, total_recipient = record.Definition.TotalRecipients,
        total_sent = record.Counters.Sent, total_failed = record.Counters.Failed, total_canceled = record.Counters.Canceled,
        total_unknown = record.Counters.Unknown, total_suppressed = record.Counters.Suppressed, total_expired = record.Counters.Expired,
    });
}

/// <summary>POSTs a finished broadcast's state to its notify_url, signed: <c>x-broadcast-signature: sha256=&lt;hex
/// HMAC-SHA256 of the body under Notifications__Secret&gt;</c>, and <c>x-broadcast-id</c> for de-duplication (a delivery
/// may repeat). The connection goes only to an address <see cref="WebhookAddress.IsForbidden"/> allows, checked after
/// DNS resolution on the socket itself (no rebinding between check and use), with no proxy and no redirect followed.</summary>
public sealed class CompletionWebhook : IDisposable
{
    public const string SignatureHeader = "x-broadcast-signature";
    public const string IdHeader = "x-broadcast-id";

    private readonly NotificationOptions _options;
    private readonly HttpClient _http;

    public CompletionWebhook(NotificationOptions options)
    {
        _options = options;
        var allowLoopback = options.AllowLoopback;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, ct) =>
            {
                var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
                var allowed = addresses.Where(a => !WebhookAddress.IsForbidden(a, allowLoopback)).ToArray();
                if (allowed.Length == 0)
                    throw new HttpRequestException($"notify_url's host {context.DnsEndPoint.Host} resolves to no public address; not sent");
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = options.Timeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("broadcast-functions-webhook/1");
    }

    public static string Signature(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();

    /// <summary>One delivery; throws when it did not get a 2xx (the caller retries), naming the host only: a notify_url's
    /// path or query may hold the receiver's own token.</summary>
    public async Task DeliverAsync(string broadcastId, string url, byte[] body, CancellationToken ct)
    {
        var uri = new Uri(url);
        if (WebhookAddress.Check(url, _options.AllowLoopback) is { } refused) throw new InvalidOperationException($"notify_url refused: {refused}");
        if (string.IsNullOrEmpty(_options.Secret)) throw new InvalidOperationException("Notifications__Secret is not set: the webhook cannot be signed");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Signature(body, _options.Secret));
        request.Headers.Add(IdHeader, broadcastId);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new WebhookFailedException($"notify_url at {uri.Host} did not answer: {Scrub(e.Message, url)}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new WebhookFailedException($"notify_url at {uri.Host} answered {(int)response.StatusCode}");
        }
    }

    private static string Scrub(string message, string url) => message.Replace(url, "notify_url", StringComparison.Ordinal);

    public void Dispose() => _http.Dispose();
}

public sealed class WebhookFailedException(string message) : Exception(message);
