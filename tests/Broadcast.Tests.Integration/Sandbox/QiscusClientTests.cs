using System.Net;
using System.Text;
using System.Text.Json;
using Broadcast.Sandbox;

namespace Broadcast.Tests.Integration.Sandbox;

public sealed class QiscusClientTests : SandboxTestBase
{
    [Fact]
    public async Task Client_message_answers_the_documented_shape_and_counts_one_delivery()
    {
        var first = await PostQiscusClientAsync(QiscusClientBody());
        var second = await PostQiscusClientAsync(QiscusClientBody("6281111111111"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var json = await JsonOf(first);
        Assert.Equal(200, json.GetProperty("status").GetInt32());
        var data = json.GetProperty("data");
        Assert.Equal("invoince_update", data.GetProperty("name").GetString());
        Assert.Equal("id", data.GetProperty("language").GetString());
        Assert.Equal("6616bb93_d895_41e7_8bbe_2c528219e56e", data.GetProperty("namespace").GetString());
        var log = Assert.Single(data.GetProperty("broadcast_logs").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, log.GetProperty("message_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, log.GetProperty("notes").ValueKind);
        Assert.Equal("6281527975868", log.GetProperty("phone_number").GetString());
        Assert.Equal("2022-03-05T10:15:00Z", log.GetProperty("sent_at").GetString());
        Assert.Equal("scheduled", log.GetProperty("status").GetString());
        Assert.Equal(["Rp. 30.000", "10 Maret 2022"], JsonSerializer.Deserialize<string[]>(log.GetProperty("variables").GetString()!)!);

        var secondData = (await JsonOf(second)).GetProperty("data");
        Assert.True(secondData.GetProperty("broadcast_job_id").GetInt64() > data.GetProperty("broadcast_job_id").GetInt64());
        Assert.True(secondData.GetProperty("broadcast_logs")[0].GetProperty("id").GetInt64() > log.GetProperty("id").GetInt64());

        var deliveries = State.Deliveries(Vendors.Qiscus);
        Assert.Equal(1, deliveries["6281527975868"]);
        Assert.Equal(1, deliveries["6281111111111"]);
        Assert.Equal(2, State.AcceptedCount(Vendors.Qiscus));
    }

    [Fact]
    public async Task Optional_fields_may_be_absent_or_null()
    {
        var body = QiscusClientBody();
        body.Remove("button_params");
        body["started_at"] = null;

        var response = await PostQiscusClientAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_secret_is_401_in_the_vendor_error_shape_recorded_without_delivery()
    {
        var response = await PostQiscusClientAsync(QiscusClientBody(), secret: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal("Unauthorized", json.GetProperty("errors").GetProperty("message").GetString());
        Assert.Equal(401, json.GetProperty("status").GetInt32());
        var recorded = Assert.Single(State.Requests(Vendors.Qiscus));
        Assert.Equal(401, recorded.StatusCode);
        Assert.Equal("wrong", recorded.Headers["Qiscus-Secret-Key"]);
        Assert.Empty(State.Deliveries(Vendors.Qiscus));
    }

    [Fact]
    public async Task Missing_app_id_is_401()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v3/admin/broadcast/client")
        {
            Content = System.Net.Http.Json.JsonContent.Create(QiscusClientBody()),
        };
        request.Headers.Add("Qiscus-Secret-Key", State.Settings.Qiscus.SecretKey);

        var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Non_json_content_type_is_415()
    {
        var content = new StringContent(JsonSerializer.Serialize(QiscusClientBody()), Encoding.UTF8, "text/plain");

        var response = await Http.SendAsync(QiscusRequest("api/v3/admin/broadcast/client", content));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    public static TheoryData<string, object?, string> InvalidFields => new()
    {
        { "channel_id", "534", "channel_id" },
        { "channel_id", null, "channel_id" },
        { "template_name", null, "template_name" },
        { "template_detail_id", 17.5, "template_detail_id" },
        { "namespace", 42, "namespace" },
        { "variables", new object[] { "a", 1 }, "variables" },
        { "variables", "Rp. 30.000", "variables" },
        { "phone_number", "+6281527975868", "phone_number" },
        { "phone_number", "62 815 2797 5868", "phone_number" },
        { "phone_number", "081527975868", "phone_number" },
        { "phone_number", 6281527975868, "phone_number" },
        { "started_at", "05/03/2022 10:15", "started_at" },
        { "started_at", "2022-03-05", "started_at" },
        { "button_params", new[] { new { type = "url", values = "coba" } }, "button_params[0].index" },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task Invalid_field_is_400_naming_the_field(string field, object? value, string named)
    {
        var response = await PostQiscusClientAsync(With(QiscusClientBody(), field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await JsonOf(response);
        Assert.Equal($"{named} is invalid", json.GetProperty("errors").GetProperty("message").GetString());
        Assert.Equal(400, json.GetProperty("status").GetInt32());
        Assert.Empty(State.Deliveries(Vendors.Qiscus));
        Assert.Equal(1, State.RejectedCount(Vendors.Qiscus));
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var content = new StringContent("{\"channel_id\": 534,", Encoding.UTF8, "application/json");

        var response = await Http.SendAsync(QiscusRequest("api/v3/admin/broadcast/client", content));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"channel_id\": 534,", Assert.Single(State.Requests()).Body);
    }
}
