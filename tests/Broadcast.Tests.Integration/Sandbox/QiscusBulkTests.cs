using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Sandbox;

namespace Broadcast.Tests.Integration.Sandbox;

public sealed class QiscusBulkTests : SandboxTestBase
{
    private const string Csv =
        "phone_number,customer_name,header_variable,body_variable1,body_variable2,button_type,button1_variable1\r\n" +
        "6281111111111,\"Budi, S.\",Promo,Rp. 30.000,10 Maret 2022,call_to_action,coba\r\n" +
        "6282222222222,\"Ani \"\"A\"\"\nSecond line\",Promo,Rp. 10.000,11 Maret 2022,quick_reply,\r\n" +
        "6281111111111,Budi again,Promo,Rp. 5.000,12 Maret 2022,,\r\n";

    [Fact]
    public async Task Upload_then_send_counts_every_row_as_a_delivery()
    {
        var upload = await UploadCsvAsync(Csv);

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var uploaded = await JsonOf(upload);
        var fileId = uploaded.GetProperty("broadcast_file_id").GetInt64();
        var balance = uploaded.GetProperty("current_balance");
        Assert.Equal("0", balance.GetProperty("credits").GetString());
        Assert.Equal(1000, balance.GetProperty("free_session").GetInt32());
        Assert.Equal(857, balance.GetProperty("quota").GetInt32());
        var estimation = uploaded.GetProperty("estimation_charge");
        Assert.Equal(0, estimation.GetProperty("credit").GetInt32());
        Assert.Equal(3, estimation.GetProperty("free_session").GetInt32());
        Assert.Equal(0, estimation.GetProperty("quota").GetInt32());
        Assert.Empty(State.Deliveries(Vendors.Qiscus));

        var rows = State.UploadedFile(fileId)!;
        Assert.Equal(3, rows.Count);
        Assert.Equal("Budi, S.", rows[0]["customer_name"]);
        Assert.Equal("Ani \"A\"\nSecond line", rows[1]["customer_name"]);
        Assert.Equal("", rows[1]["button1_variable1"]);

        var send = await SendBroadcastAsync(fileId);

        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        var json = await JsonOf(send);
        Assert.Equal(200, json.GetProperty("status").GetInt32());
        var job = json.GetProperty("data").GetProperty("broadcast_job");
        Assert.Equal(3, job.GetProperty("total_recipient").GetInt32());
        Assert.Equal(4, job.GetProperty("status").GetInt32());
        Assert.Equal(172, job.GetProperty("template_detail_id").GetInt64());
        Assert.Equal("Test Cholis 3", job.GetProperty("name").GetString());
        Assert.Equal("2022-03-05T11:59:00Z", job.GetProperty("started_at").GetString());
        foreach (var nullField in new[] { "canceled_at", "canceled_by", "total_failed", "total_read", "total_received", "total_sent" })
            Assert.Equal(JsonValueKind.Null, job.GetProperty(nullField).ValueKind);
        Assert.Equal("Sandbox", job.GetProperty("user").GetProperty("name").GetString());
        Assert.True(job.GetProperty("id").GetInt64() > 0);

        var deliveries = State.Deliveries(Vendors.Qiscus);
        Assert.Equal(2, deliveries["6281111111111"]);
        Assert.Equal(1, deliveries["6282222222222"]);
    }

    [Fact]
    public async Task Upload_is_recorded_as_fields_and_file_text()
    {
        await UploadCsvAsync(Csv);

        var recorded = Assert.Single(State.Requests(Vendors.Qiscus));
        Assert.StartsWith("multipart/form-data", recorded.ContentType);
        using var body = JsonDocument.Parse(recorded.Body);
        Assert.Equal("172", body.RootElement.GetProperty("fields").GetProperty("template_detail_id").GetString());
        Assert.Equal(",", body.RootElement.GetProperty("fields").GetProperty("separator").GetString());
        Assert.Equal(Csv, body.RootElement.GetProperty("files").GetProperty("file").GetString());
    }

    [Fact]
    public async Task A_file_is_sent_only_once()
    {
        var fileId = (await JsonOf(await UploadCsvAsync(Rows(2)))).GetProperty("broadcast_file_id").GetInt64();

        Assert.Equal(HttpStatusCode.OK, (await SendBroadcastAsync(fileId)).StatusCode);
        var again = await SendBroadcastAsync(fileId);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("broadcast_file_id", (await JsonOf(again)).GetProperty("errors").GetProperty("message").GetString());
        Assert.All(State.Deliveries(Vendors.Qiscus).Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Unknown_file_is_400()
    {
        var response = await SendBroadcastAsync(987654321);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("broadcast_file_id is invalid", (await JsonOf(response)).GetProperty("errors").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Semicolon_separated_file_and_multipart_send()
    {
        var upload = await UploadCsvAsync("phone_number;customer_name\n6281234567890;\"Siti; A\"\n", separator: ";");
        var fileId = (await JsonOf(upload)).GetProperty("broadcast_file_id").GetInt64();

        var form = new MultipartFormDataContent
        {
            { new StringContent("172"), "template_detail_id" },
            { new StringContent(fileId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "broadcast_file_id" },
            { new StringContent("Form send"), "name" },
            { new StringContent(";"), "separator" },
        };
        var send = await Http.SendAsync(QiscusRequest(State.Settings.Qiscus.SendBroadcastPath, form));

        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        Assert.Equal("Siti; A", State.UploadedFile(fileId)![0]["customer_name"]);
        Assert.Equal(1, State.Deliveries(Vendors.Qiscus)["6281234567890"]);
    }

    [Fact]
    public async Task File_that_does_not_parse_with_the_separator_is_400()
    {
        var response = await UploadCsvAsync("phone_number;customer_name\n6281234567890;Siti\n", separator: ",");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("phone_number", (await JsonOf(response)).GetProperty("errors").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("phone_number\n+6281234567890\n", "file is invalid")]
    [InlineData("phone_number,customer_name\n6281234567890\n", "file is invalid")]
    [InlineData("customer_name\nBudi\n", "file is invalid")]
    [InlineData("phone_number\n", "file is invalid")]
    public async Task Bad_files_are_400(string csv, string message)
    {
        var response = await UploadCsvAsync(csv);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, (await JsonOf(response)).GetProperty("errors").GetProperty("message").GetString());
    }

    [Fact]
    public async Task At_most_1000_recipients_per_file()
    {
        Assert.Equal(HttpStatusCode.OK, (await UploadCsvAsync(Rows(1000))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadCsvAsync(Rows(1001))).StatusCode);
    }

    [Theory]
    [InlineData("abc", ",", "template_detail_id is invalid")]
    [InlineData("172", "|", "separator is invalid")]
    public async Task Bad_form_fields_are_400(string templateDetailId, string separator, string message)
    {
        var response = await UploadCsvAsync(Rows(1), separator, templateDetailId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await JsonOf(response)).GetProperty("errors").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upload_must_be_multipart_and_send_must_have_integer_ids()
    {
        var json = await Http.SendAsync(QiscusRequest(State.Settings.Qiscus.UploadCsvPath, JsonContent.Create(new { template_detail_id = 172 })));
        var send = await Http.SendAsync(QiscusRequest(State.Settings.Qiscus.SendBroadcastPath, JsonContent.Create(new
        {
            template_detail_id = 172, broadcast_file_id = "2272837", name = "x", separator = ",",
        })));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, send.StatusCode);
        Assert.Equal("broadcast_file_id is invalid", (await JsonOf(send)).GetProperty("errors").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Send_must_use_the_template_and_separator_of_the_upload()
    {
        var fileId = (await JsonOf(await UploadCsvAsync(Rows(1)))).GetProperty("broadcast_file_id").GetInt64();

        var otherTemplate = await SendBroadcastAsync(fileId, templateDetailId: 999);
        var otherSeparator = await SendBroadcastAsync(fileId, separator: ";");

        Assert.Equal(HttpStatusCode.BadRequest, otherTemplate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherSeparator.StatusCode);
        Assert.Empty(State.Deliveries(Vendors.Qiscus));
    }
}

public sealed class QiscusCustomPathTests : SandboxTestBase
{
    protected override void Configure(SandboxSettings settings)
    {
        settings.Qiscus.UploadCsvPath = "/custom/upload";
        settings.Qiscus.SendBroadcastPath = "/custom/send";
        settings.Qiscus.AppId = "my-app";
    }

    [Fact]
    public async Task Bulk_paths_and_credentials_come_from_settings()
    {
        var upload = await UploadCsvAsync(Rows(3));
        var fileId = (await JsonOf(upload)).GetProperty("broadcast_file_id").GetInt64();
        var send = await SendBroadcastAsync(fileId);

        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        Assert.Equal("/custom/send", State.Requests(Vendors.Qiscus)[1].Path);
        Assert.Equal("my-app", State.Requests(Vendors.Qiscus)[1].Headers["Qiscus-App-Id"]);
        Assert.Equal(3, State.Deliveries(Vendors.Qiscus).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsync("api/v3/admin/broadcast/upload_csv", null)).StatusCode);
    }
}
