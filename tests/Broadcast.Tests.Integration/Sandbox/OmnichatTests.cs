using System.Net;
using System.Text;
using Broadcast.Sandbox;

namespace Broadcast.Tests.Integration.Sandbox;

public sealed class OmnichatTests : SandboxTestBase
{
    [Fact]
    public async Task Text_and_template_messages_are_sent()
    {
        var text = await PostOmnichatAsync(OmnichatText());
        var template = await PostOmnichatAsync(OmnichatTemplate());

        foreach (var response in new[] { text, template })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await JsonOf(response);
            Assert.True(json.GetProperty("status").GetBoolean());
            Assert.Equal("Berhasil mengirimkan pesan", json.GetProperty("message").GetString());
        }
        var deliveries = State.Deliveries(Vendors.Omnichat);
        Assert.Equal(1, deliveries["6281290641111"]);
        Assert.Equal(1, deliveries["6281234567890"]);
    }

    [Fact]
    public async Task Group_message_uses_the_group_id_and_needs_a_device_key()
    {
        var group = OmnichatText("120363012345678901@g.us");
        group["is_group"] = true;
        var withoutDevice = new Dictionary<string, object?>(group);
        withoutDevice.Remove("device_key");

        var sent = await PostOmnichatAsync(group);
        var rejected = await PostOmnichatAsync(withoutDevice);

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(1, State.Deliveries(Vendors.Omnichat)["120363012345678901@g.us"]);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var json = await JsonOf(rejected);
        Assert.False(json.GetProperty("status").GetBoolean());
        Assert.Equal("device_key wajib diisi", json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Wrong_api_key_is_401()
    {
        var body = OmnichatText();
        body["api_key"] = "XYZ987TOKEN";

        var response = await PostOmnichatAsync(body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = await JsonOf(response);
        Assert.False(json.GetProperty("status").GetBoolean());
        Assert.Equal("API key tidak valid", json.GetProperty("message").GetString());
        Assert.Empty(State.Deliveries(Vendors.Omnichat));
    }

    [Fact]
    public async Task Text_message_without_text_or_is_group_is_400()
    {
        var noText = OmnichatText();
        noText.Remove("text");
        var noGroupFlag = OmnichatText();
        noGroupFlag.Remove("is_group");

        var first = await JsonOf(await PostOmnichatAsync(noText));
        var second = await JsonOf(await PostOmnichatAsync(noGroupFlag));

        Assert.Equal("text wajib diisi", first.GetProperty("message").GetString());
        Assert.Equal("is_group wajib diisi", second.GetProperty("message").GetString());
        Assert.Equal(2, State.RejectedCount(Vendors.Omnichat));
    }

    public static TheoryData<string, object?, string> InvalidTemplateFields => new()
    {
        { "template", null, "template" },
        { "variables", null, "variables" },
        { "variables", new Dictionary<string, object> { ["{name}"] = 5 }, "variables" },
        { "phone", "+6281234567890", "phone" },
        { "phone", null, "phone" },
        { "method", "image", "method" },
        { "is_group", "false", "is_group" },
    };

    [Theory]
    [MemberData(nameof(InvalidTemplateFields))]
    public async Task Invalid_template_field_is_400_naming_it(string field, object? value, string named)
    {
        var response = await PostOmnichatAsync(With(OmnichatTemplate(), field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await JsonOf(response);
        Assert.False(json.GetProperty("status").GetBoolean());
        Assert.StartsWith(named, json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Template_without_is_group_is_fine()
    {
        var body = OmnichatTemplate();
        body.Remove("is_group");

        Assert.Equal(HttpStatusCode.OK, (await PostOmnichatAsync(body)).StatusCode);
    }

    [Fact]
    public async Task Non_json_is_415()
    {
        var response = await Http.PostAsync("api-app/whatsapp/send-message", new StringContent("phone=1", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.False((await JsonOf(response)).GetProperty("status").GetBoolean());
    }
}
