using System.Net;
using System.Net.Http.Json;
using System.Text;
using Broadcast.Sandbox;

namespace Broadcast.Tests.Integration.Sandbox;

public sealed class KhorosTests : SandboxTestBase
{
    [Fact]
    public async Task Instant_broadcast_counts_one_delivery_per_audience_member()
    {
        var response = await PostKhorosAsync(KhorosBody("+12345678901", "+6281234567890", "+12345678901"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.True(Guid.TryParse(json.GetProperty("id").GetString(), out _));
        Assert.Equal(3, json.GetProperty("audience").GetInt32());
        var deliveries = State.Deliveries(Vendors.Khoros);
        Assert.Equal(2, deliveries["+12345678901"]);
        Assert.Equal(1, deliveries["+6281234567890"]);
        Assert.Equal(1, State.AcceptedCount(Vendors.Khoros));
    }

    [Fact]
    public async Task Event_payload_and_identifier_only_audience_are_accepted()
    {
        var response = await PostKhorosAsync(new
        {
            audience = new object[] { new { identifier = "customer-42" }, new { phoneNumber = "+12345678901" } },
            channel = new { channelName = "messenger", externalId = "page-1" },
            payload = new { type = "event", eventName = "Send template" },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, State.Deliveries(Vendors.Khoros)["customer-42"]);
    }

    [Fact]
    public async Task Bearer_prefix_is_rejected()
    {
        var response = await PostKhorosAsync(KhorosBody("+12345678901"), $"Bearer {State.Settings.Khoros.ApiKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Contains("Bearer", json.GetProperty("message").GetString());
        Assert.Empty(State.Deliveries(Vendors.Khoros));
        Assert.Equal(401, Assert.Single(State.Requests(Vendors.Khoros)).StatusCode);
    }

    [Fact]
    public async Task Wrong_or_missing_key_is_401()
    {
        var wrong = await PostKhorosAsync(KhorosBody("+12345678901"), "nope");
        var missing = await Http.PostAsJsonAsync("rest/v1/broadcast/instant", KhorosBody("+12345678901"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task Non_json_is_415()
    {
        var response = await PostKhorosAsync(new StringContent("audience=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"audience": [], "channel": {"channelName": "whatsapp", "externalId": "1"}, "payload": {"type": "text", "speech": "hi"}}""", "audience" },
        { """{"audience": [{"phoneNumber": "+12345678901"}, {"phoneNumber": "12345678901"}], "channel": {"channelName": "whatsapp", "externalId": "1"}, "payload": {"type": "text", "speech": "hi"}}""", "audience[1].phoneNumber" },
        { """{"audience": [{"name": "No contact"}], "channel": {"channelName": "whatsapp", "externalId": "1"}, "payload": {"type": "text", "speech": "hi"}}""", "audience[0]" },
        { """{"audience": [{"phoneNumber": "+12345678901"}], "channel": {"channelName": "sms", "externalId": "1"}, "payload": {"type": "text", "speech": "hi"}}""", "channel.channelName" },
        { """{"audience": [{"phoneNumber": "+12345678901"}], "channel": {"channelName": "whatsapp", "externalId": ""}, "payload": {"type": "text", "speech": "hi"}}""", "channel.externalId" },
        { """{"audience": [{"phoneNumber": "+12345678901"}], "channel": {"channelName": "whatsapp", "externalId": "1"}, "payload": {"type": "event"}}""", "payload.eventName" },
        { """{"audience": [{"phoneNumber": "+12345678901"}], "channel": {"channelName": "whatsapp", "externalId": "1"}, "payload": {"type": "text", "speech": ""}}""", "payload.speech" },
        { """{"audience": [{"phoneNumber": "+12345678901"}], "channel": {"channelName": "whatsapp", "externalId": "1"}}""", "payload" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_body_is_400_naming_the_field(string body, string field)
    {
        var response = await PostKhorosAsync(new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.StartsWith(field, json.GetProperty("message").GetString());
        Assert.Empty(State.Deliveries(Vendors.Khoros));
    }

    [Fact]
    public async Task At_most_1000_audience_members()
    {
        var phones = Enumerable.Range(0, 1001).Select(i => $"+6281{i:D8}").ToArray();

        var tooMany = await PostKhorosAsync(KhorosBody(phones));
        var justRight = await PostKhorosAsync(KhorosBody(phones[..1000]));

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.OK, justRight.StatusCode);
        Assert.Equal(1000, State.Deliveries(Vendors.Khoros).Count);
    }
}
