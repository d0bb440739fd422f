using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;

namespace Broadcast.Tests.Unit.Vendors.Acme;

/// <summary>A made-up fourth vendor, built by docs/adding-a-vendor.md step 3: POST v1/messages with the key in
/// <c>X-Acme-Key</c>, texts only, positional variables, its own CSV sheet.</summary>
public sealed class AcmeClient(AcmeOptions options, HttpClient? client = null) : IVendorClient, IDisposable
{
    /// <summary>Acme's one send call, as its (made-up) documentation names it.</summary>
    public const string SendPath = "/v1/messages";

    /// <summary>A test cannot add a member to <see cref="Provider"/> (step 1), so Acme takes a value no member has.</summary>
    public static readonly Provider AcmeProvider = (Provider)Enum.GetValues<Provider>().Length;

    private readonly VendorHttp _http = new(options, client, VendorHttp.ErrorMessage);

    private static readonly AcmeJson Json = new(VendorJson.Options());

    public Provider Provider => AcmeProvider;
    public VendorOptions Options => options;
    public VendorCapabilities Capabilities { get; } = new(Templates: false, Text: true, Events: false, Groups: false, Bulk: false, StatusCallbacks: false,
        TemplateVariables: VariableStyle.Positional, CsvLayout: AcmeCsvLayout.Instance);
    public int BulkSize => 0;

    public VendorCallback ReadCallback(JsonElement body) => VendorCallback.Read(Provider, body);

    /// <summary>One account, one channel: everything Acme sends is paced together.</summary>
    public string ChannelKey(ChannelSpec channel) => "acme:account";

    public string ChannelLabel(string channelKey) => "acme";

    public ChannelSpec ResolveChannel(ChannelSpec? requested) => requested ?? new ChannelSpec();

    public (string Field, string Error)? Validate(MessageContent content, ChannelSpec channel, bool isGroup) =>
        content.Text is null ? ("text", "Acme sends text only.") : isGroup ? ("is_group", "Acme does not send to groups.") : null;

    public Task<SendResult> SendAsync(SendRequest request, CancellationToken ct)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _http.Url(SendPath))
        {
            Content = VendorHttp.JsonBody(new AcmeSendBody(request.Recipient.Phone, request.Content.Text!, request.Recipient.Variables), Json.AcmeSendBody),
        };
        message.Headers.TryAddWithoutValidation("X-Acme-Key", options.ApiKey);
        return _http.SendAsync(message, (_, json) => SendResult.Accepted(VendorHttp.Text(json, "id")), ct);
    }

    public Task<IReadOnlyList<SendResult>> SendBulkAsync(BulkSendRequest request, CancellationToken ct) =>
        throw new NotSupportedException("Acme has no bulk call.");

    public void Dispose() => _http.Dispose();
}
