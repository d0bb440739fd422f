using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Sandbox;

public sealed class BehaviorTests : SandboxTestBase
{
    [Fact]
    public async Task Latency_delays_the_answer()
    {
        State.Configure(Vendors.Omnichat, new VendorBehavior { LatencyMs = 250 });

        var watch = Stopwatch.StartNew();
        var response = await PostOmnichatAsync(OmnichatText());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 240, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task FailNext_fails_the_next_requests_with_status_retry_after_and_vendor_shape()
    {
        State.Configure(Vendors.Qiscus, new VendorBehavior { FailNext = 2, FailStatus = 503, RetryAfterSeconds = 7, FailMessage = "maintenance" });

        var first = await PostQiscusClientAsync(QiscusClientBody());
        var second = await PostQiscusClientAsync(QiscusClientBody());
        var third = await PostQiscusClientAsync(QiscusClientBody());

        foreach (var failed in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), failed.Headers.RetryAfter?.Delta);
            var json = await JsonOf(failed);
            Assert.Equal("maintenance", json.GetProperty("errors").GetProperty("message").GetString());
            Assert.Equal(503, json.GetProperty("status").GetInt32());
        }
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(1, State.Deliveries(Vendors.Qiscus)["6281527975868"]);
        Assert.Equal([503, 503, 200], State.Requests(Vendors.Qiscus).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task FailNext_without_retry_after_uses_the_khoros_error_shape()
    {
        State.Configure(Vendors.Khoros, new VendorBehavior { FailNext = 1, FailStatus = 500 });

        var failed = await PostKhorosAsync(KhorosBody("+12345678901"));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Null(failed.Headers.RetryAfter);
        var json = await JsonOf(failed);
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal("Internal Server Error", json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostKhorosAsync(KhorosBody("+12345678901"))).StatusCode);
    }

    [Fact]
    public async Task Omnichat_status_false_is_http_200_and_not_a_delivery()
    {
        State.Configure(Vendors.Omnichat, new VendorBehavior { OmnichatStatusFalseNext = 1 });

        var notSent = await PostOmnichatAsync(OmnichatText());
        var sent = await PostOmnichatAsync(OmnichatText());

        Assert.Equal(HttpStatusCode.OK, notSent.StatusCode);
        var json = await JsonOf(notSent);
        Assert.False(json.GetProperty("status").GetBoolean());
        Assert.Equal("Gagal mengirimkan pesan", json.GetProperty("message").GetString());
        Assert.True((await JsonOf(sent)).GetProperty("status").GetBoolean());
        Assert.Equal(1, State.Deliveries(Vendors.Omnichat)["6281290641111"]);
        Assert.Equal(new VendorStats(2, 1, 1), State.Stats(Vendors.Omnichat));
    }

    [Fact]
    public async Task Omnichat_status_false_phones_answer_status_false_for_those_numbers_only_every_time()
    {
        var configured = await Http.PutAsJsonAsync("sandbox/behavior/omnichat",
            new Dictionary<string, object> { ["omnichat_status_false_phones"] = new[] { "+6281299999999" } });
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);

        var first = await PostOmnichatAsync(OmnichatTemplate("6281299999999"));
        var again = await PostOmnichatAsync(OmnichatText("6281299999999"));
        var other = await PostOmnichatAsync(OmnichatText("6281290641111"));

        foreach (var refused in new[] { first, again })
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.False((await JsonOf(refused)).GetProperty("status").GetBoolean());
        }
        Assert.True((await JsonOf(other)).GetProperty("status").GetBoolean());
        Assert.False(State.Deliveries(Vendors.Omnichat).ContainsKey("6281299999999"));
        Assert.Equal(new VendorStats(3, 1, 2), State.Stats(Vendors.Omnichat));

        var empty = await Http.PutAsJsonAsync("sandbox/behavior/omnichat",
            new Dictionary<string, object> { ["omnichat_status_false_phones"] = new[] { " " } });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task FailPhones_rejects_every_request_for_that_recipient()
    {
        var phones = new Dictionary<string, int> { ["6281999999999"] = 400 };
        foreach (var vendor in Vendors.All)
            State.Configure(vendor, new VendorBehavior { FailPhones = phones });

        var qiscus = await PostQiscusClientAsync(QiscusClientBody("6281999999999"));
        var khoros = await PostKhorosAsync(KhorosBody("+12345678901", "+6281999999999"));
        var omnichat = await PostOmnichatAsync(OmnichatText("6281999999999"));
        var omnichatAgain = await PostOmnichatAsync(OmnichatText("6281999999999"));
        var upload = await UploadCsvAsync("phone_number\n6281234567890\n6281999999999\n");
        var otherRecipient = await PostOmnichatAsync(OmnichatText("6281234567890"));

        Assert.All([qiscus, khoros, omnichat, omnichatAgain, upload], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("6281999999999", (await JsonOf(qiscus)).GetProperty("errors").GetProperty("message").GetString());
        Assert.Contains("audience[1].phoneNumber +6281999999999", (await JsonOf(khoros)).GetProperty("message").GetString());
        Assert.Contains("6281999999999", (await JsonOf(omnichat)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, otherRecipient.StatusCode);
        Assert.Empty(State.Deliveries(Vendors.Qiscus));
        Assert.Empty(State.Deliveries(Vendors.Khoros));
        Assert.Equal(["6281234567890"], State.Deliveries(Vendors.Omnichat).Keys);
    }

    [Fact]
    public async Task FailPhones_configured_after_upload_rejects_the_send()
    {
        var fileId = (await JsonOf(await UploadCsvAsync("phone_number\n6281234567890\n6281999999999\n"))).GetProperty("broadcast_file_id").GetInt64();
        State.Configure(Vendors.Qiscus, new VendorBehavior { FailPhones = new() { ["6281999999999"] = 422 } });

        var send = await SendBroadcastAsync(fileId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, send.StatusCode);
        Assert.Empty(State.Deliveries(Vendors.Qiscus));
    }

    [Fact]
    public async Task PhoneFaults_answer_any_status_for_that_number_the_first_times_then_normally()
    {
        State.Configure(Vendors.Omnichat, new VendorBehavior
        {
            PhoneFaults = new() { ["+6281290641111"] = new PhoneFault { Status = 504, Times = 2, RetryAfterSeconds = 3, Message = "upstream timed out" } },
        });

        var first = await PostOmnichatAsync(OmnichatText());
        var other = await PostOmnichatAsync(OmnichatText("6281234567890"));
        var second = await PostOmnichatAsync(OmnichatText());
        var third = await PostOmnichatAsync(OmnichatText());

        Assert.Equal(HttpStatusCode.GatewayTimeout, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), first.Headers.RetryAfter?.Delta);
        Assert.Equal("upstream timed out", (await JsonOf(first)).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.GatewayTimeout, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(1, State.Deliveries(Vendors.Omnichat)["6281290641111"]); // a fault delivers nothing unless told to
    }

    [Fact]
    public async Task A_gateway_fault_answers_with_a_proxys_html_page_not_the_vendors_shape()
    {
        State.Configure(Vendors.Omnichat, new VendorBehavior { PhoneFaults = new() { ["6281290641111"] = new PhoneFault { Status = 502, Gateway = true } } });

        var failed = await PostOmnichatAsync(OmnichatText());

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("text/html", failed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>502 Bad Gateway</title>", await failed.Content.ReadAsStringAsync());
        Assert.Equal(502, Assert.Single(State.Requests(Vendors.Omnichat)).StatusCode);
    }

    [Fact]
    public async Task A_delivered_fault_takes_the_message_before_failing()
    {
        State.Configure(Vendors.Khoros, new VendorBehavior { PhoneFaults = new() { ["+6281999999999"] = new PhoneFault { Status = 500, Delivered = true } } });

        var failed = await PostKhorosAsync(KhorosBody("+12345678901", "+6281999999999"));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("Internal Server Error", (await JsonOf(failed)).GetProperty("message").GetString());
        Assert.Equal(1, State.Deliveries(Vendors.Khoros)["+12345678901"]); // the whole audience went out
        Assert.Equal(1, State.Deliveries(Vendors.Khoros)["+6281999999999"]);
    }

    [Fact]
    public async Task A_reset_fault_reads_the_request_then_drops_the_connection()
    {
        State.Configure(Vendors.Qiscus, new VendorBehavior { PhoneFaults = new() { ["6281527975868"] = new PhoneFault { Reset = true, Delivered = true } } });

        var reset = await Assert.ThrowsAsync<HttpRequestException>(() => PostQiscusClientAsync(QiscusClientBody()));

        Assert.NotEqual(HttpRequestError.ConnectionError, reset.HttpRequestError); // the connection was made, the request sent
        var recorded = await Poll.UntilAsync(() => Task.FromResult(State.Requests(Vendors.Qiscus)), r => r.Count == 1, TimeSpan.FromSeconds(10), "the reset request's record");
        Assert.Equal(PhoneFault.ResetStatusCode, recorded[0].StatusCode);
        Assert.Contains("6281527975868", recorded[0].Body);
        Assert.Equal(1, State.Deliveries(Vendors.Qiscus)["6281527975868"]);
    }

    [Fact]
    public async Task A_hang_fault_never_answers_until_the_caller_gives_up()
    {
        State.Configure(Vendors.Omnichat, new VendorBehavior { PhoneFaults = new() { ["6281290641111"] = new PhoneFault { Hang = true } } });
        using var impatient = Sandbox.CreateClient();
        impatient.Timeout = TimeSpan.FromMilliseconds(500);

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.PostAsJsonAsync("api-app/whatsapp/send-message", OmnichatText()));

        var recorded = await Poll.UntilAsync(() => Task.FromResult(State.Requests(Vendors.Omnichat)), r => r.Count == 1, TimeSpan.FromSeconds(10), "the hung request's record");
        Assert.Equal(499, recorded[0].StatusCode); // the caller closed it
        Assert.Empty(State.Deliveries(Vendors.Omnichat));
        Assert.Equal(HttpStatusCode.OK, (await PostOmnichatAsync(OmnichatText("6281234567890"))).StatusCode);
    }

    [Fact]
    public async Task A_qiscus_bulk_fault_hits_the_send_broadcast_call_not_the_upload()
    {
        State.Configure(Vendors.Qiscus, new VendorBehavior { PhoneFaults = new() { ["6281999999999"] = new PhoneFault { Status = 502, Delivered = true } } });

        var upload = await UploadCsvAsync("phone_number\n6281234567890\n6281999999999\n");
        var fileId = (await JsonOf(upload)).GetProperty("broadcast_file_id").GetInt64();
        var send = await SendBroadcastAsync(fileId);
        var again = await SendBroadcastAsync(fileId);

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, send.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // the vendor took the file before failing
        Assert.Equal(2, State.Deliveries(Vendors.Qiscus).Count);
    }

    [Fact]
    public async Task PhoneFaults_are_set_over_http_and_checked()
    {
        var set = await Http.PutAsJsonAsync("sandbox/behavior/omnichat", new { phone_faults = new Dictionary<string, object> { ["6281290641111"] = new { reset = true, times = 1 } } });
        var both = await Http.PutAsJsonAsync("sandbox/behavior/omnichat", new { phone_faults = new Dictionary<string, object> { ["1"] = new { status = 500, hang = true } } });
        var none = await Http.PutAsJsonAsync("sandbox/behavior/omnichat", new { phone_faults = new Dictionary<string, object> { ["1"] = new { times = 1 } } });
        var success = await Http.PutAsJsonAsync("sandbox/behavior/omnichat", new { phone_faults = new Dictionary<string, object> { ["1"] = new { status = 200 } } });
        var unknownField = await Http.PutAsJsonAsync("sandbox/behavior/omnichat", new { phone_faults = new Dictionary<string, object> { ["1"] = new { staus = 500 } } });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True(State.Behavior(Vendors.Omnichat).PhoneFaults!["6281290641111"].Reset);
        Assert.All([both, none, success, unknownField], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("exactly one of status, hang and reset", (await JsonOf(both)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Rate_limit_answers_429_with_retry_after_when_exceeded()
    {
        State.Configure(Vendors.Khoros, new VendorBehavior { RateLimitPerSecond = 2 });

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
            responses.Add(await PostKhorosAsync(KhorosBody($"+62812000000{i:D2}")));

        Assert.Equal(HttpStatusCode.OK, responses[0].StatusCode);
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.Equal(TimeSpan.FromSeconds(1), r.Headers.RetryAfter?.Delta));
        Assert.Equal("error", (await JsonOf(limited[0])).GetProperty("status").GetString());
        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(accepted, State.Deliveries(Vendors.Khoros).Count);
        Assert.Equal(accepted, State.AcceptedCount(Vendors.Khoros));
    }

    [Fact]
    public async Task Behaviour_is_set_and_reset_over_http()
    {
        var put = await Http.PutAsJsonAsync("sandbox/behavior/omnichat", new { fail_next = 1, fail_status = 502, fail_message = "bad gateway" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(502, State.Behavior(Vendors.Omnichat).FailStatus);

        var failed = await PostOmnichatAsync(OmnichatText());
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("bad gateway", (await JsonOf(failed)).GetProperty("message").GetString());

        await Http.PutAsJsonAsync("sandbox/behavior/omnichat", new { fail_next = 5 });
        var reset = await Http.DeleteAsync("sandbox/behavior");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostOmnichatAsync(OmnichatText())).StatusCode);
        Assert.Equal(new VendorBehavior().FailNext, State.Behavior(Vendors.Omnichat).FailNext);
    }

    [Fact]
    public async Task Invalid_behaviours_are_rejected()
    {
        var unknownVendor = await Http.PutAsJsonAsync("sandbox/behavior/twilio", new { fail_next = 1 });
        var unknownField = await Http.PutAsJsonAsync("sandbox/behavior/khoros", new { failnext = 1 });
        var badStatus = await Http.PutAsJsonAsync("sandbox/behavior/khoros", new { fail_next = 1, fail_status = 200 });

        Assert.Equal(HttpStatusCode.NotFound, unknownVendor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Throws<ArgumentException>(() => State.Configure("twilio", new VendorBehavior()));
        Assert.Throws<ArgumentException>(() => State.Configure(Vendors.Khoros, new VendorBehavior { LatencyMs = -1 }));
    }
}
