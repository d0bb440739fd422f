using System.Text.Json;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Messages;

/// <summary>Exactly the requests the vendor documents describe: paths, auth headers, field names and types.</summary>
[Collection("vendor requests")]
public sealed class VendorRequestTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private Stack Stack => fixture.Stack;

    private async Task<(JsonElement State, Broadcast.Sandbox.RecordedRequest Request)> SendAsync(string vendor, object message)
    {
        Stack.Sandbox.State.Reset();
        var state = await Stack.App.SendAndWaitAsync(message);
        var request = Assert.Single(Stack.Sandbox.State.Requests(vendor));
        return (state, request);
    }

    [Fact]
    public async Task Qiscus_template_goes_to_broadcast_client_with_app_id_and_secret_headers_and_typed_fields()
    {
        var (state, request) = await SendAsync("qiscus", new
        {
            provider = "qiscus", to = "081527975868",
            template = new
            {
                name = "invoince_update", id = "172", @namespace = "6616bb93_d895_41e7_8bbe_2c528219e56e", language = "id",
                variables = new[] { "Rp. 30.000", "10 Maret 2022" },
                buttons = new[] { new { type = "url", values = "coba", index = 0 } },
            },
        });

        Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
        Assert.Equal("/api/v3/admin/broadcast/client", request.Path);
        Assert.Equal("sandbox-qiscus-app", request.Headers["Qiscus-App-Id"]);
        Assert.Equal("sandbox-qiscus-secret", request.Headers["Qiscus-Secret-Key"]);
        Assert.StartsWith("application/json", request.ContentType);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(534, body.GetProperty("channel_id").GetInt64());
        Assert.Equal("invoince_update", body.Str("template_name"));
        Assert.Equal(172, body.GetProperty("template_detail_id").GetInt64());
        Assert.Equal("6616bb93_d895_41e7_8bbe_2c528219e56e", body.Str("namespace"));
        Assert.Equal("id", body.Str("language"));
        Assert.Equal(["Rp. 30.000", "10 Maret 2022"], body.GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("6281527975868", body.Str("phone_number"));
        var button = Assert.Single(body.GetProperty("button_params").EnumerateArray());
        Assert.Equal("url", button.Str("type"));
        Assert.Equal("coba", button.Str("values"));
        Assert.Equal(0, button.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.String, body.GetProperty("name").ValueKind);
        // The provider's id for the message is the broadcast log id Qiscus answers with.
        Assert.False(string.IsNullOrEmpty(state.GetProperty("recipient").Str("provider_message_id")));
    }

    [Fact]
    public async Task Qiscus_channel_override_replaces_the_configured_channel()
    {
        var (_, request) = await SendAsync("qiscus", new
        {
            provider = "qiscus", to = "6281527975868", channel = new { channel_id = 777 },
            template = new { name = "t", id = 9, @namespace = "ns", language = "en", variables = Array.Empty<string>() },
        });
        Assert.Equal(777, JsonDocument.Parse(request.Body).RootElement.GetProperty("channel_id").GetInt64());
    }

    [Fact]
    public async Task Khoros_text_uses_the_bare_key_in_authorization_and_an_e164_audience()
    {
        var (state, request) = await SendAsync("khoros", new { provider = "khoros", to = "0812-9064-1111", name = "Budi", text = "Hi {name}" });

        Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
        Assert.Equal("/rest/v1/broadcast/instant", request.Path);
        Assert.Equal("sandbox-khoros-key", request.Headers["Authorization"]);
        var body = JsonDocument.Parse(request.Body).RootElement;
        var member = Assert.Single(body.GetProperty("audience").EnumerateArray());
        Assert.Equal("+6281290641111", member.Str("phoneNumber"));
        Assert.Equal("Budi", member.Str("name"));
        Assert.Equal(JsonValueKind.Object, member.GetProperty("profile").ValueKind);
        Assert.Equal("whatsapp", body.GetProperty("channel").Str("channelName"));
        Assert.Equal("+10987654321", body.GetProperty("channel").Str("externalId"));
        Assert.Equal("text", body.GetProperty("payload").Str("type"));
        Assert.Equal("Hi Budi", body.GetProperty("payload").Str("speech"));
    }

    [Fact]
    public async Task Khoros_event_sends_an_event_payload_on_the_requested_channel()
    {
        var (_, request) = await SendAsync("khoros", new
        {
            provider = "khoros", to = "+12345678901", name = "John Doe", @event = "Send template",
            channel = new { channel_name = "twilio", external_id = "+12345678902" },
        });
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("event", body.GetProperty("payload").Str("type"));
        Assert.Equal("Send template", body.GetProperty("payload").Str("eventName"));
        Assert.Equal("twilio", body.GetProperty("channel").Str("channelName"));
        Assert.Equal("+12345678902", body.GetProperty("channel").Str("externalId"));
        Assert.Equal("+12345678901", body.GetProperty("audience")[0].Str("phoneNumber"));
    }

    [Fact]
    public async Task Omnichat_template_sends_named_variables_with_the_key_in_the_body()
    {
        var (state, request) = await SendAsync("omnichat", new
        {
            provider = "omnichat", to = "6281290641111",
            template = new { id = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3", variables = new Dictionary<string, string> { ["{business_name}"] = "My Store", ["{name}"] = "Budi" } },
        });

        Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
        Assert.Equal("/api-app/whatsapp/send-message", request.Path);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("sandbox-omnichat-key", body.Str("api_key"));
        Assert.Equal("template", body.Str("method"));
        Assert.Equal("510b32e9-d6d9-4c75-83ae-f95cdfcc96e3", body.Str("template"));
        Assert.Equal("bc8bae5a-0997-40a2-a827-b95adc714dd3", body.Str("device_key"));
        Assert.False(body.GetProperty("is_group").GetBoolean());
        Assert.Equal("My Store", body.GetProperty("variables").Str("{business_name}"));
        Assert.Equal("Budi", body.GetProperty("variables").Str("{name}"));
    }

    [Fact]
    public async Task Omnichat_group_keeps_the_group_id_untouched()
    {
        var (_, request) = await SendAsync("omnichat", new
        {
            provider = "omnichat", to = "120363012345678901@g.us", text = "Halo grup", is_group = true,
            channel = new { device_key = "dev-2" },
        });
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("120363012345678901@g.us", body.Str("phone"));
        Assert.True(body.GetProperty("is_group").GetBoolean());
        Assert.Equal("dev-2", body.Str("device_key"));
    }

    public static TheoryData<string, string, string> Numbers => new()
    {
        // vendor, as typed, as the vendor must receive it
        { "qiscus", "+62 812-9064-1111", "6281290641111" },
        { "qiscus", "0812 9064 1111", "6281290641111" },
        { "qiscus", "0062 (812) 9064.1111", "6281290641111" },
        { "qiscus", "+62 0812 9064 1111", "6281290641111" },
        { "khoros", "+62 812-9064-1111", "+6281290641111" },
        { "khoros", "081290641111", "+6281290641111" },
        { "khoros", "00447911123456", "+447911123456" },
        { "khoros", "12345678901", "+12345678901" },
        { "omnichat", "+62 812-9064-1111", "6281290641111" },
        { "omnichat", "(0812) 9064-1111", "6281290641111" },
        { "omnichat", "+44 7911 123456", "447911123456" },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public async Task Phone_numbers_are_normalised_and_written_as_each_vendor_wants(string vendor, string typed, string expected)
    {
        object message = vendor switch
        {
            "qiscus" => new { provider = vendor, to = typed, template = new { name = "t", id = "1", @namespace = "n", language = "id", variables = new[] { "x" } } },
            _ => new { provider = vendor, to = typed, text = "hi" },
        };
        var (_, request) = await SendAsync(vendor, message);
        var body = JsonDocument.Parse(request.Body).RootElement;
        var sent = vendor switch
        {
            "qiscus" => body.Str("phone_number"),
            "khoros" => body.GetProperty("audience")[0].Str("phoneNumber"),
            _ => body.Str("phone"),
        };
        Assert.Equal(expected, sent);
    }
}
