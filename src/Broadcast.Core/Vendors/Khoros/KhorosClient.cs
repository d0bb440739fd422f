using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Phones;

namespace Broadcast.Core.Vendors.Khoros;

/// <summary>Khoros Flow: POST rest/v1/broadcast/instant with the messaging API key itself in Authorization,
/// an audience of '+' E.164 numbers, a channel, and a text (speech) or event payload.</summary>
/// <param name="client">From IHttpClientFactory in the app; null in tools and tests (an own pooled client).</param>
public sealed class KhorosClient(KhorosOptions options, HttpClient? client = null) : IVendorClient, IDisposable
{
    public const string InstantPath = "/rest/v1/broadcast/instant";

    public static readonly IReadOnlyList<string> ChannelNames = ["rbm", "messagemedia", "telekom", "twilio", "whatsapp", "khoros", "messenger"];

    // Khoros errors are {"message"} (or {"error"}): the common shapes.
    private readonly VendorHttp _http = new(options, client, VendorHttp.ErrorMessage);
    private readonly string _account = KeyFingerprint.Of(options.ApiKey);

    private static readonly KhorosJson Json = new(VendorJson.Options());

    public Provider Provider => Provider.Khoros;
    public VendorOptions Options => options;
    public VendorCapabilities Capabilities { get; } = new(Templates: false, Text: true, Events: true, Groups: false, Bulk: true, StatusCallbacks: true);
    public int BulkSize => Math.Clamp(options.AudienceBatchSize, 1, 1000);

    public VendorCallback ReadCallback(JsonElement body) => VendorCallback.Read(Provider, body);

    public string ChannelKey(ChannelSpec channel) => $"khoros:{_account}:{channel.ChannelName}:{channel.ExternalId}";

    /// <summary>The channel name.</summary>
    public string ChannelLabel(string channelKey) => channelKey.Split(':') is { Length: > 2 } parts ? parts[2] : "";

    public ChannelSpec ResolveChannel(ChannelSpec? requested) =>
        new(ChannelName: requested?.ChannelName ?? options.ChannelName, ExternalId: requested?.ExternalId ?? options.ExternalId);

    public (string Field, string Error)? Validate(MessageContent content, ChannelSpec channel, bool isGroup)
    {
        if (content.Template is not null) return ("template", "Khoros Flow sends a 'text' or an 'event', not a template.");
        if (content.Text is null && content.Event is null) return ("text", "Khoros Flow needs a 'text' or an 'event'.");
        if (content.Text is not null && content.Event is not null) return ("event", "Give either 'text' or 'event', not both.");
        if (content.Text is not null && string.IsNullOrWhiteSpace(content.Text)) return ("text", "The text is empty.");
        if (content.Event is not null && string.IsNullOrWhiteSpace(content.Event)) return ("event", "The event name is empty.");
        if (isGroup) return ("is_group", "Khoros Flow does not send to groups.");
        if (channel.ChannelName is null || !ChannelNames.Contains(channel.ChannelName))
            return ("channel.channel_name", $"Khoros channelName is one of {string.Join(", ", ChannelNames)}.");
        if (string.IsNullOrWhiteSpace(channel.ExternalId)) return ("channel.external_id", "No Khoros channel externalId: set channel.external_id or Vendors__Khoros__ExternalId.");
        if (content.Text?.Length > MaxTextLength(channel.ChannelName))
            return ("text", $"A {channel.ChannelName} text is at most {MaxTextLength(channel.ChannelName)} characters.");
        return null;
    }

    /// <summary>The longest text each channel takes: WhatsApp 4,096, RBM 3,072, Messenger 2,000, SMS gateways
    /// 1,600 (ten concatenated segments, Twilio's limit).</summary>
    public static int MaxTextLength(string? channelName) => channelName switch
    {
        "rbm" => 3072,
        "messenger" => 2000,
        "messagemedia" or "telekom" or "twilio" => 1600,
        _ => 4096,
    };

    public Task<SendResult> SendAsync(SendRequest request, CancellationToken ct) =>
        PostAsync(request.Content, request.Channel, [request.Recipient], request.VariableNames, ct);

    public async Task<IReadOnlyList<SendResult>> SendBulkAsync(BulkSendRequest request, CancellationToken ct)
    {
        var result = await PostAsync(request.Content, request.Channel, request.Recipients, request.VariableNames, ct);
        return Enumerable.Repeat(result, request.Recipients.Count).ToList();
    }

    private Task<SendResult> PostAsync(MessageContent content, ChannelSpec channel, IReadOnlyList<Recipient> audience,
        IReadOnlyList<string> names, CancellationToken ct)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _http.Url(InstantPath))
        {
            Content = VendorHttp.JsonBody(new KhorosInstantBody(
                [.. audience.Select(r => new KhorosInstantBody.Member(r.Name, PhoneNumbers.E164(r.Phone), MessageText.Named(r, names, MessageText.Bare)))],
                new KhorosInstantBody.Channel(channel.ChannelName, channel.ExternalId),
                content.Event is not null
                    ? new KhorosInstantBody.Payload("event", EventName: content.Event)
                    // One audience shares one speech; per-recipient text only when the call carries one recipient.
                    : new KhorosInstantBody.Payload("text", Speech: audience.Count == 1 ? MessageText.Render(content.Text!, audience[0], names) : content.Text)),
                Json.KhorosInstantBody),
        };
        message.Headers.TryAddWithoutValidation("Authorization", options.ApiKey);
        return _http.SendAsync(message, (_, json) => SendResult.Accepted(
            json.ValueKind == JsonValueKind.Object ? VendorHttp.Text(json, "id") ?? VendorHttp.Text(json, "broadcastId") : null), ct);
    }

    public void Dispose() => _http.Dispose();
}
