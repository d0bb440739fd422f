using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors.Qiscus;

/// <summary>Qiscus Multichannel: WhatsApp templates, one by one (broadcast/client) or as CSV files of up to 1000
/// rows (upload, then send broadcast). Auth: Qiscus-App-Id and Qiscus-Secret-Key headers.</summary>
/// <param name="client">From IHttpClientFactory in the app; null in tools and tests (an own pooled client).</param>
public sealed class QiscusClient(QiscusOptions options, HttpClient? client = null) : IVendorClient, IDisposable
{
    public const int MaxCsvRecipients = 1000;

    private readonly VendorHttp _http = new(options, client, ErrorMessage);

    private static readonly QiscusJson Json = new(VendorJson.Options());

    public Provider Provider => Provider.Qiscus;
    public VendorOptions Options => options;
    public VendorCapabilities Capabilities { get; } = new(Templates: true, Text: false, Events: false, Groups: false, Bulk: true, StatusCallbacks: true,
        TemplateVariables: VariableStyle.Positional, MaxTemplateVariables: QiscusCsvLayout.MaxBodyVariables, CsvLayout: QiscusCsvLayout.Instance);
    public int BulkSize => MaxCsvRecipients;

    public VendorCallback ReadCallback(JsonElement body) => VendorCallback.Read(Provider, body);

    /// <summary>Qiscus errors read {"errors": {"message"}} (or a string, or any value); otherwise the common shapes.</summary>
    public static string? ErrorMessage(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("errors", out var errors))
        {
            if (errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) return m.GetString();
            if (errors.ValueKind == JsonValueKind.String) return errors.GetString();
            return errors.GetRawText();
        }
        return VendorHttp.ErrorMessage(json);
    }

    public string ChannelKey(ChannelSpec channel) => $"qiscus:{options.AppId}:{channel.ChannelId}";

    /// <summary>The channel id.</summary>
    public string ChannelLabel(string channelKey) => channelKey[(channelKey.LastIndexOf(':') + 1)..];

    public ChannelSpec ResolveChannel(ChannelSpec? requested) =>
        new(ChannelId: requested?.ChannelId ?? options.ChannelId);

    public (string Field, string Error)? Validate(MessageContent content, ChannelSpec channel, bool isGroup)
    {
        if (content.Text is not null) return ("text", "Qiscus sends WhatsApp templates only: give 'template', not 'text'.");
        if (content.Event is not null) return ("event", "Qiscus sends WhatsApp templates only: give 'template', not 'event'.");
        if (isGroup) return ("is_group", "Qiscus does not send to groups.");
        var t = content.Template;
        if (t is null) return ("template", "Qiscus needs a template.");
        if (string.IsNullOrWhiteSpace(t.Id)) return ("template.id", "A template needs its id (Qiscus template_detail_id).");
        if (!long.TryParse(t.Id, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return ("template.id", "Qiscus template_detail_id is a whole number.");
        if (string.IsNullOrWhiteSpace(t.Name)) return ("template.name", "Qiscus needs the template name.");
        if (string.IsNullOrWhiteSpace(t.Namespace)) return ("template.namespace", "Qiscus needs the template namespace.");
        if (string.IsNullOrWhiteSpace(t.Language)) return ("template.language", "Qiscus needs the template language.");
        if (channel.ChannelId is null) return ("channel.channel_id", "No Qiscus channel: set channel.channel_id or Vendors__Qiscus__ChannelId.");
        return null;
    }

    public Task<SendResult> SendAsync(SendRequest request, CancellationToken ct)
    {
        var t = request.Content.Template!;
        var r = request.Recipient;
        var message = new HttpRequestMessage(HttpMethod.Post, _http.Url(options.SendMessagePath))
        {
            Content = VendorHttp.JsonBody(new QiscusSendBody(request.Channel.ChannelId!.Value, request.BroadcastName, t.Name,
                long.Parse(t.Id!, CultureInfo.InvariantCulture), t.Namespace, t.Language, r.Variables, r.Phone,
                ButtonParams(t, r) is { Count: > 0 } buttons ? [.. buttons.Select(QiscusSendBody.Button.From)] : null), Json.QiscusSendBody),
        };
        Authorize(message);
        return _http.SendAsync(message, (_, json) =>
        {
            var logId = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("data", out var data)
                && data.TryGetProperty("broadcast_logs", out var logs) && logs.ValueKind == JsonValueKind.Array && logs.GetArrayLength() > 0
                ? VendorHttp.Text(logs[0], "id") : null;
            return SendResult.Accepted(logId ?? VendorHttp.Text(json, "data", "broadcast_job_id"));
        }, ct);
    }

    /// <summary>Buttons from the request, or from a CSV row's button_type and button{n}_variable{m} columns:
    /// quick_reply stays quick_reply, call_to_action becomes a "url" parameter (the dynamic part of a URL button).</summary>
    public static IReadOnlyList<TemplateButton> ButtonParams(TemplateSpec template, Recipient r)
    {
        if (r.ButtonVariables is { Count: > 0 } rows)
        {
            var type = string.Equals(r.ButtonType, "quick_reply", StringComparison.OrdinalIgnoreCase) ? "quick_reply" : "url";
            var list = new List<TemplateButton>();
            for (var i = 0; i < rows.Count; i++)
                if (rows[i].Count > 0 && rows[i].Any(v => v.Length > 0)) list.Add(new TemplateButton(type, string.Join(",", rows[i].Where(v => v.Length > 0)), i));
            return list;
        }
        return template.Buttons ?? [];
    }

    public async Task<IReadOnlyList<SendResult>> SendBulkAsync(BulkSendRequest request, CancellationToken ct)
    {
        var t = request.Content.Template!;
        var templateId = long.Parse(t.Id!, CultureInfo.InvariantCulture);

        var upload = new HttpRequestMessage(HttpMethod.Post, _http.Url(options.UploadCsvPath));
        var form = new MultipartFormDataContent();
        var csv = new ByteArrayContent(Encoding.UTF8.GetBytes(QiscusCsv.Write(request.Recipients)));
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(csv, "file", "recipients.csv");
        form.Add(new StringContent(templateId.ToString(CultureInfo.InvariantCulture)), "template_detail_id");
        form.Add(new StringContent(","), "separator");
        upload.Content = form;
        Authorize(upload);
        // The upload alone sends nothing: whatever its answer (a 500, a timeout), no message can have gone out, so it
        // is never "maybe delivered" and a failed upload is retried under both guarantees.
        var uploaded = await _http.SendRawAsync(upload, ct);
        if (uploaded.Answer.Outcome != SendOutcome.Accepted)
            return Same(request.Recipients.Count, uploaded.Answer with { MaybeDelivered = false });
        var fileId = VendorHttp.Text(uploaded.Json, "broadcast_file_id") ?? VendorHttp.Text(uploaded.Json, "data", "broadcast_file_id");
        if (fileId is null || !long.TryParse(fileId, out var broadcastFileId))
            return Same(request.Recipients.Count, new SendResult(SendOutcome.Permanent, Error: "Qiscus upload answered without broadcast_file_id"));

        var send = new HttpRequestMessage(HttpMethod.Post, _http.Url(options.SendBroadcastPath))
        {
            Content = VendorHttp.JsonBody(new QiscusBroadcastBody(templateId, broadcastFileId, request.BroadcastName, ","), Json.QiscusBroadcastBody),
        };
        Authorize(send);
        // The send step is classified like any call: a 500, 502, 504, a timeout or a reset after it went out may have
        // started the broadcast.
        var sent = await _http.SendRawAsync(send, ct);
        if (sent.Answer.Outcome != SendOutcome.Accepted) return Same(request.Recipients.Count, sent.Answer);
        var jobId = VendorHttp.Text(sent.Json, "data", "broadcast_job", "id");
        return Same(request.Recipients.Count, SendResult.Accepted(jobId is null ? null : $"broadcast_job:{jobId}"));
    }

    private static IReadOnlyList<SendResult> Same(int count, SendResult result) => Enumerable.Repeat(result, count).ToList();

    private void Authorize(HttpRequestMessage message)
    {
        message.Headers.TryAddWithoutValidation("Qiscus-App-Id", options.AppId);
        message.Headers.TryAddWithoutValidation("Qiscus-Secret-Key", options.SecretKey);
    }

    public void Dispose() => _http.Dispose();
}
