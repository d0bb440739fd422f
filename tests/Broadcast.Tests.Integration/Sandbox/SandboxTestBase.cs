using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Broadcast.Sandbox;

namespace Broadcast.Tests.Integration.Sandbox;

/// <summary>Starts one in-process sandbox per test and talks to it over real loopback HTTP.</summary>
public abstract class SandboxTestBase : IAsyncLifetime
{
    protected static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    protected RunningSandbox Sandbox { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;
    protected SandboxState State => Sandbox.State;

    protected virtual void Configure(SandboxSettings settings)
    {
    }

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxApp.StartAsync(Configure);
        Http = Sandbox.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }

    // ---- Qiscus ----

    protected static Dictionary<string, object?> QiscusClientBody(string phone = "6281527975868") => new()
    {
        ["channel_id"] = 534,
        ["name"] = "Test Broadcast",
        ["template_name"] = "invoince_update",
        ["template_detail_id"] = 172,
        ["namespace"] = "6616bb93_d895_41e7_8bbe_2c528219e56e",
        ["language"] = "id",
        ["variables"] = new[] { "Rp. 30.000", "10 Maret 2022" },
        ["phone_number"] = phone,
        ["button_params"] = new[] { new { type = "url", values = "coba", index = 0 } },
        ["started_at"] = "2022-03-05T10:15:00.000Z",
    };

    protected HttpRequestMessage QiscusRequest(string path, HttpContent content, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
        request.Headers.Add("Qiscus-App-Id", State.Settings.Qiscus.AppId);
        request.Headers.Add("Qiscus-Secret-Key", secret ?? State.Settings.Qiscus.SecretKey);
        return request;
    }

    protected Task<HttpResponseMessage> PostQiscusClientAsync(object body, string? secret = null) =>
        Http.SendAsync(QiscusRequest("api/v3/admin/broadcast/client", JsonContent.Create(body), secret));

    protected Task<HttpResponseMessage> UploadCsvAsync(string csv, string separator = ",", string templateDetailId = "172")
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "file", "recipients.csv" },
            { new StringContent(templateDetailId), "template_detail_id" },
            { new StringContent(separator), "separator" },
        };
        return Http.SendAsync(QiscusRequest(State.Settings.Qiscus.UploadCsvPath, form));
    }

    protected Task<HttpResponseMessage> SendBroadcastAsync(long fileId, string separator = ",", long templateDetailId = 172) =>
        Http.SendAsync(QiscusRequest(State.Settings.Qiscus.SendBroadcastPath, JsonContent.Create(new
        {
            template_detail_id = templateDetailId,
            broadcast_file_id = fileId,
            name = "Test Cholis 3",
            separator,
            started_at = "2022-03-05T11:59:00.000Z",
        })));

    // ---- Khoros ----

    protected static object KhorosBody(params string[] phones) => new
    {
        audience = phones.Select(p => new { name = "John Doe", phoneNumber = p, profile = new { } }).ToArray(),
        channel = new { channelName = "whatsapp", externalId = "+12345678902" },
        payload = new { type = "text", speech = "I'm searching for the address of your store in New York" },
    };

    protected Task<HttpResponseMessage> PostKhorosAsync(object body, string? authorization = null) =>
        PostKhorosAsync(JsonContent.Create(body), authorization);

    protected Task<HttpResponseMessage> PostKhorosAsync(HttpContent content, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "rest/v1/broadcast/instant") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization ?? State.Settings.Khoros.ApiKey);
        return Http.SendAsync(request);
    }

    // ---- Omnichat ----

    protected Dictionary<string, object?> OmnichatText(string phone = "6281290641111") => new()
    {
        ["phone"] = phone,
        ["device_key"] = "bc8bae5a-0997-40a2-a827-b95adc714dd3",
        ["api_key"] = State.Settings.Omnichat.ApiKey,
        ["method"] = "text",
        ["text"] = "Hallo guys!",
        ["is_group"] = false,
    };

    protected Dictionary<string, object?> OmnichatTemplate(string phone = "6281234567890") => new()
    {
        ["phone"] = phone,
        ["device_key"] = "bc8bae5a-0997-40a2-a827-b95adc714dd3",
        ["api_key"] = State.Settings.Omnichat.ApiKey,
        ["method"] = "template",
        ["template"] = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3",
        ["is_group"] = false,
        ["variables"] = new Dictionary<string, string> { ["{business_name}"] = "My Store", ["{name}"] = "Budi" },
    };

    protected Task<HttpResponseMessage> PostOmnichatAsync(object body) =>
        Http.PostAsJsonAsync("api-app/whatsapp/send-message", body);

    // ---- helpers ----

    /// <summary>The body with one field set to <paramref name="value"/>, or left out when it is null.</summary>
    protected static Dictionary<string, object?> With(Dictionary<string, object?> body, string field, object? value)
    {
        if (value is null) body.Remove(field);
        else body[field] = value;
        return body;
    }

    protected static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    protected async Task<IReadOnlyList<RecordedRequest>> RecordedOverHttpAsync(string? vendor = null)
    {
        var url = vendor is null ? "sandbox/requests" : $"sandbox/requests?vendor={vendor}";
        return (await Http.GetFromJsonAsync<List<RecordedRequest>>(url, SnakeCase))!;
    }

    protected static string Rows(int count, int first = 0) =>
        "phone_number,customer_name,body_variable1\n" +
        string.Concat(Enumerable.Range(first, count).Select(i => $"62811{i:D8},Customer {i},Rp. {i}\n"));
}
