using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Integration.DeliveryOutcomes;

/// <summary>Each row of the README's table of delivery outcomes, end to end: the app sends through the sandbox, which
/// answers the chosen number with the status, hang or reset of the row. A call whose answer does not prove the vendor
/// did not act is never repeated under at_most_once (the recipient ends unknown, the vendor's answer in its error) and
/// retried under at_least_once; a call the vendor certainly did not act on is retried under both.</summary>
public sealed class DeliveryOutcomeTests(OutcomeStackFixture fixture) : IClassFixture<OutcomeStackFixture>
{
    private const string Omnichat = "omnichat";
    private const string Phone = "6281290641111";
    private const string AtMostOnce = "at_most_once";
    private const string AtLeastOnce = "at_least_once";

    private Stack Stack => fixture.Stack;
    private SandboxState Sandbox => Stack.Sandbox.State;

    private static object Text(string delivery, string to = Phone) => new { provider = Omnichat, to, text = "hi", delivery };

    /// <summary>The fault of a row: a status, a hang or a reset; the vendor takes the message before failing when
    /// <paramref name="delivered"/> (what makes a repeat a duplicate). A status comes from a gateway in front of the
    /// vendor when <paramref name="gateway"/>: Omnichat's own error body says <c>"status": false</c>, which proves
    /// the message was not sent, so only a gateway's page leaves its fate open.</summary>
    private static PhoneFault Fault(string row, bool delivered, int? times, bool gateway = false) => row switch
    {
        "hang" => new PhoneFault { Hang = true, Delivered = delivered, Times = times },
        "reset" => new PhoneFault { Reset = true, Delivered = delivered, Times = times },
        _ => new PhoneFault { Status = int.Parse(row, System.Globalization.CultureInfo.InvariantCulture), Delivered = delivered, Times = times, Gateway = gateway },
    };

    /// <summary>What the recipient's error says for the row: the vendor's answer, or how the call ended.</summary>
    private static string ErrorOf(string row) => row switch
    {
        "hang" => $"no answer within {OutcomeStackFixture.TimeoutSeconds} s after the request was sent",
        "reset" => "connection lost after the request was sent, no answer",
        "500" => "500 Internal Server Error",
        "502" => "502 Bad Gateway",
        "504" => "504 Gateway Timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    private void Configure(string vendor, VendorBehavior behavior)
    {
        Sandbox.Reset();
        Sandbox.Configure(vendor, behavior);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("502")]
    [InlineData("504")]
    [InlineData("hang")]
    [InlineData("reset")]
    public async Task Under_at_most_once_an_answer_that_may_follow_a_delivery_ends_unknown_after_one_call(string row)
    {
        Configure(Omnichat, new VendorBehavior { PhoneFaults = new() { [Phone] = Fault(row, delivered: true, times: null, gateway: true) } });

        var state = await Stack.App.SendAndWaitAsync(Text(AtMostOnce));

        var recipient = state.GetProperty("recipient");
        Assert.Equal("unknown", recipient.Str("status"));
        Assert.Equal(1, recipient.GetProperty("attempts").GetInt32());
        Assert.StartsWith(ErrorOf(row), recipient.Str("error"));
        Assert.EndsWith("not retried (at_most_once)", recipient.Str("error"));
        Assert.Equal(1, Sandbox.TotalRequests(Omnichat));
        Assert.Equal(1, Sandbox.Deliveries(Omnichat)[Phone]);
        Assert.Equal(1, state.GetProperty("total_unknown").GetInt32());
    }

    [Theory]
    [InlineData("500")]
    [InlineData("502")]
    [InlineData("504")]
    [InlineData("hang")]
    [InlineData("reset")]
    public async Task Under_at_least_once_the_same_answer_is_retried_and_may_deliver_twice(string row)
    {
        Configure(Omnichat, new VendorBehavior { PhoneFaults = new() { [Phone] = Fault(row, delivered: true, times: 1, gateway: true) } });

        var state = await Stack.App.SendAndWaitAsync(Text(AtLeastOnce));

        var recipient = state.GetProperty("recipient");
        Assert.Equal("sent", recipient.Str("status"));
        Assert.Equal(2, recipient.GetProperty("attempts").GetInt32());
        Assert.Equal(2, Sandbox.TotalRequests(Omnichat));
        Assert.Equal(2, Sandbox.Deliveries(Omnichat)[Phone]); // the duplicate at_most_once exists to rule out
    }

    [Theory]
    [InlineData("429", AtMostOnce)]
    [InlineData("429", AtLeastOnce)]
    [InlineData("503", AtMostOnce)]
    [InlineData("503", AtLeastOnce)]
    [InlineData("408", AtMostOnce)]
    [InlineData("408", AtLeastOnce)]
    public async Task An_answer_proving_the_vendor_did_not_act_is_retried_under_both_guarantees(string row, string delivery)
    {
        Configure(Omnichat, new VendorBehavior { PhoneFaults = new() { [Phone] = Fault(row, delivered: false, times: 2) } });

        var state = await Stack.App.SendAndWaitAsync(Text(delivery));

        var recipient = state.GetProperty("recipient");
        Assert.Equal("sent", recipient.Str("status"));
        Assert.Equal(3, recipient.GetProperty("attempts").GetInt32());
        Assert.Equal([int.Parse(row, System.Globalization.CultureInfo.InvariantCulture), int.Parse(row, System.Globalization.CultureInfo.InvariantCulture), 200],
            Sandbox.Requests(Omnichat).Select(r => r.StatusCode));
        Assert.Equal(1, Sandbox.Deliveries(Omnichat)[Phone]);
    }

    [Theory]
    [InlineData("400", AtMostOnce)]
    [InlineData("400", AtLeastOnce)]
    [InlineData("422", AtMostOnce)]
    [InlineData("422", AtLeastOnce)]
    public async Task A_refusal_fails_after_one_call_under_both_guarantees(string row, string delivery)
    {
        Configure(Omnichat, new VendorBehavior { PhoneFaults = new() { [Phone] = Fault(row, delivered: false, times: null) } });

        var state = await Stack.App.SendAndWaitAsync(Text(delivery));

        var recipient = state.GetProperty("recipient");
        Assert.Equal("failed", recipient.Str("status"));
        Assert.Equal(1, recipient.GetProperty("attempts").GetInt32());
        Assert.StartsWith(row + " ", recipient.Str("error"));
        Assert.Equal(1, Sandbox.TotalRequests(Omnichat));
        Assert.Empty(Sandbox.Deliveries(Omnichat));
    }

    [Theory]
    [InlineData("500")]
    [InlineData("502")]
    public async Task An_omnichat_error_saying_status_false_proves_it_was_not_sent_and_is_retried_under_at_most_once(string row)
    {
        Configure(Omnichat, new VendorBehavior { PhoneFaults = new() { [Phone] = Fault(row, delivered: false, times: 1) } });

        var state = await Stack.App.SendAndWaitAsync(Text(AtMostOnce));

        var recipient = state.GetProperty("recipient");
        Assert.Equal("sent", recipient.Str("status"));
        Assert.Equal(2, recipient.GetProperty("attempts").GetInt32());
        Assert.Equal([int.Parse(row, System.Globalization.CultureInfo.InvariantCulture), 200], Sandbox.Requests(Omnichat).Select(r => r.StatusCode));
        Assert.Equal(1, Sandbox.Deliveries(Omnichat)[Phone]);
    }

    [Fact]
    public async Task The_vendors_answer_stored_in_error_never_shows_a_key_it_echoes()
    {
        var key = Stack.App.Services.GetRequiredService<IConfiguration>()["Vendors:Omnichat:ApiKey"]!;
        Configure(Omnichat, new VendorBehavior
        {
            PhoneFaults = new() { [Phone] = new PhoneFault { Status = 500, Message = $"queue failed for api_key {key}", Delivered = true, Gateway = true } },
        });

        var state = await Stack.App.SendAndWaitAsync(Text(AtMostOnce));

        var error = state.GetProperty("recipient").Str("error");
        Assert.StartsWith("500 queue failed for api_key ***", error);
        Assert.DoesNotContain(key, error);
    }

    [Fact]
    public async Task Qiscus_single_sends_and_khoros_audiences_classify_the_same_way()
    {
        Configure("qiscus", new VendorBehavior { PhoneFaults = new() { ["6281527975868"] = new PhoneFault { Status = 504, Delivered = true } } });
        var qiscus = await Stack.App.SendAndWaitAsync(new
        {
            provider = "qiscus", to = "6281527975868", delivery = AtMostOnce,
            template = new { name = "invoince_update", id = "172", @namespace = "ns", language = "id", variables = new[] { "Rp. 30.000" } },
        });
        Assert.Equal("unknown", qiscus.GetProperty("recipient").Str("status"));
        Assert.Equal(1, Sandbox.TotalRequests("qiscus"));

        Configure("khoros", new VendorBehavior { PhoneFaults = new() { ["+12345678901"] = new PhoneFault { Status = 502, Delivered = true } } });
        var khoros = await Stack.App.SendAndWaitAsync(new { provider = "khoros", to = "+12345678901", text = "hi", delivery = AtMostOnce });
        Assert.Equal("unknown", khoros.GetProperty("recipient").Str("status"));
        Assert.Equal(1, Sandbox.TotalRequests("khoros"));
    }

    [Fact]
    public async Task A_qiscus_bulk_send_answered_500_ends_its_whole_file_unknown_under_at_most_once()
    {
        Configure("qiscus", new VendorBehavior { PhoneFaults = new() { [QiscusPhone(1)] = new PhoneFault { Status = 500, Delivered = true } } });

        var done = await SendQiscusBulkAsync(3);

        Assert.Equal(3, done.GetProperty("total_unknown").GetInt32());
        Assert.Single(Sandbox.Requests("qiscus"), r => r.Path.EndsWith("send_broadcast", StringComparison.Ordinal));
        Assert.Equal(3, Sandbox.Deliveries("qiscus").Count);
    }

    [Fact]
    public async Task A_qiscus_upload_answered_500_sent_nothing_and_is_retried_under_at_most_once()
    {
        Configure("qiscus", new VendorBehavior { FailNext = 1, FailStatus = 500 }); // the first call of a bulk send is its upload

        var done = await SendQiscusBulkAsync(3);

        Assert.Equal(3, done.GetProperty("total_sent").GetInt32());
        Assert.Equal(2, Sandbox.Requests("qiscus").Count(r => r.Path.EndsWith("upload_csv", StringComparison.Ordinal)));
        Assert.Single(Sandbox.Requests("qiscus"), r => r.Path.EndsWith("send_broadcast", StringComparison.Ordinal));
        Assert.All(Sandbox.Deliveries("qiscus").Values, n => Assert.Equal(1, n));
    }

    private static string QiscusPhone(int i) => $"62812{i:D8}";

    private async Task<JsonElement> SendQiscusBulkAsync(int count)
    {
        var response = await Stack.App.PostJsonAsync("api/broadcasts", new
        {
            provider = "qiscus", native_bulk = true, name = "invoices", delivery = AtMostOnce,
            template = new { name = "invoince_update", id = 172, @namespace = "ns", language = "id" },
            recipients = Enumerable.Range(0, count).Select(i => new { to = QiscusPhone(i), name = $"C{i}", variables = new[] { $"Rp. {i}" } }).ToArray(),
        });
        var accepted = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"create answered {(int)response.StatusCode}: {accepted}");
        var id = accepted.Str("id");
        return await Poll.UntilAsync(() => Stack.App.GetJsonAsync($"api/broadcasts/{id}"),
            s => s.GetProperty("completed_at").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(60), $"broadcast {id} to finish");
    }
}
