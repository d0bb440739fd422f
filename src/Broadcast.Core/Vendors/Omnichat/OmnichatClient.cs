using System.Text.Json;
using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors.Omnichat;

/// <summary>Omnichat: POST api-app/whatsapp/send-message with the API key in the body; text or template with
/// named variables; a number or (is_group) a group id. "status": false is a failed send whatever the HTTP code.</summary>
/// <param name="client">From IHttpClientFactory in the app; null in tools and tests (an own pooled client).</param>
public sealed class OmnichatClient(OmnichatOptions options, HttpClient? client = null) : IVendorClient, IDisposable
{
    public const string SendPath = "/api-app/whatsapp/send-message";

    /// <summary>WhatsApp's longest text message.</summary>
    public const int MaxTextLength = 4096;

    // Omnichat errors are {"message"} (or {"error"}): the common shapes. "status": false is a failed send whatever the
    // HTTP status, so an error answer carrying it proves the message did not go out (a gateway's page does not).
    private readonly VendorHttp _http = new(options, client, VendorHttp.ErrorMessage, StatusFalse);
    private readonly string _account = KeyFingerprint.Of(options.ApiKey);

    private static readonly OmnichatJson Json = new(VendorJson.Options());

    public Provider Provider => Provider.Omnichat;
    public VendorOptions Options => options;
    /// <summary>Omnichat reports no delivery receipts, only replies, so sent messages are not indexed.</summary>
    public VendorCapabilities Capabilities { get; } = new(Templates: true, Text: true, Events: false, Groups: true, Bulk: false, StatusCallbacks: false,
        TemplateVariables: VariableStyle.Named, CsvLayout: OmnichatCsvLayout.Instance);
    public int BulkSize => 0;

    /// <summary>Omnichat's callback ({"from", "message_id", "message", "from_name", "type"}) and webhook ({"device_key",
    /// "name", "message", "type"}) name the sender as a WhatsApp JID: "62812...@s.whatsapp.net" is that number,
    /// "...@g.us" is a group talking, which is no customer's reply.</summary>
    public VendorCallback ReadCallback(JsonElement body)
    {
        var read = VendorCallback.Read(Provider, body, b => VendorCallback.Text(b, "from"));
        if (read.Reply is not { From: { } from } reply) return read;
        if (from.EndsWith("@g.us", StringComparison.OrdinalIgnoreCase)) return VendorCallback.Ignored;
        var at = from.IndexOf('@');
        return at > 0 ? read with { Reply = reply with { From = from[..at] } } : read;
    }

    public string ChannelKey(ChannelSpec channel) => $"omnichat:{_account}:{channel.DeviceKey}";

    /// <summary>A fingerprint of the device key (the key itself is a secret).</summary>
    public string ChannelLabel(string channelKey) => "device-" + KeyFingerprint.Of(channelKey[(channelKey.IndexOf(':', "omnichat:".Length) + 1)..]);

    public ChannelSpec ResolveChannel(ChannelSpec? requested) => new(DeviceKey: requested?.DeviceKey ?? options.DeviceKey);

    public (string Field, string Error)? Validate(MessageContent content, ChannelSpec channel, bool isGroup)
    {
        if (content.Event is not null) return ("event", "Omnichat sends a 'text' or a 'template', not an event.");
        if (content.Text is null && content.Template is null) return ("text", "Omnichat needs a 'text' or a 'template'.");
        if (content.Text is not null && content.Template is not null) return ("template", "Give either 'text' or 'template', not both.");
        if (content.Text is not null && string.IsNullOrWhiteSpace(content.Text)) return ("text", "The text is empty.");
        if (content.Text?.Length > MaxTextLength) return ("text", $"An Omnichat (WhatsApp) text is at most {MaxTextLength} characters.");
        if (content.Template is not null && string.IsNullOrWhiteSpace(content.Template.Id)) return ("template.id", "A template needs its id (the Omnichat template id).");
        if ((isGroup || content.Template is not null) && string.IsNullOrWhiteSpace(channel.DeviceKey))
            return ("channel.device_key", "Omnichat needs a device_key for group and template sends: set channel.device_key or Vendors__Omnichat__DeviceKey.");
        return null;
    }

    public Task<SendResult> SendAsync(SendRequest request, CancellationToken ct)
    {
        var r = request.Recipient;
        var message = new HttpRequestMessage(HttpMethod.Post, _http.Url(SendPath))
        {
            Content = VendorHttp.JsonBody(request.Content.Template is { } t
                ? new OmnichatSendBody(r.Phone, NullIfEmpty(request.Channel.DeviceKey), options.ApiKey, "template", t.Id, null, request.IsGroup,
                    MessageText.Named(r, request.VariableNames, MessageText.Braced))
                : new OmnichatSendBody(r.Phone, NullIfEmpty(request.Channel.DeviceKey), options.ApiKey, "text", null,
                    MessageText.Render(request.Content.Text!, r, request.VariableNames), request.IsGroup, null), Json.OmnichatSendBody),
        };
        return _http.SendAsync(message, (status, json) =>
        {
            if (StatusFalse(json))
                return new SendResult(SendOutcome.Permanent, Error: _http.Scrub(VendorHttp.ErrorMessage(json) ?? "Omnichat answered status false"), StatusCode: status);
            return SendResult.Accepted(VendorHttp.Text(json, "message_id") ?? VendorHttp.Text(json, "id"));
        }, ct);
    }

    /// <summary>Omnichat's <c>"status": false</c>: the message was not sent.</summary>
    private static bool StatusFalse(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.False;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public Task<IReadOnlyList<SendResult>> SendBulkAsync(BulkSendRequest request, CancellationToken ct) =>
        throw new NotSupportedException("Omnichat has no bulk call.");

    public void Dispose() => _http.Dispose();
}
