using System.Net;
using System.Net.Http.Json;
using System.Text;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Callbacks;

public sealed class CallbackTests
{
    private static readonly Dictionary<string, string?> Secrets = new()
    {
        ["Callbacks:Qiscus:Secret"] = "qiscus-callback-secret",
        ["Callbacks:Khoros:Secret"] = "khoros-callback-secret",
        ["Callbacks:Omnichat:Secret"] = "omnichat-callback-secret",
        ["Vendors:Qiscus:RatePerSecond"] = "0",
        ["Vendors:Khoros:RatePerSecond"] = "0",
        ["Vendors:Omnichat:RatePerSecond"] = "0",
    };

    private static Task<HttpResponseMessage> CallbackAsync(HttpClient client, string provider, object body, string? token) =>
        client.PostAsJsonAsync($"api/callbacks/{provider}" + (token is null ? "" : $"?token={token}"), body);

    private static async Task<string> QiscusBroadcastAsync(Stack stack, int count)
    {
        var recipients = Enumerable.Range(0, count).Select(i => (object)new { to = Phone(i), variables = new[] { $"v{i}" } }).ToArray();
        var id = await CreateAsync(stack.App.Client, new
        {
            provider = "qiscus", template = new { name = "t", id = 7, @namespace = "n", language = "id" }, recipients,
        });
        await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        return id;
    }

    [Fact]
    public async Task Status_callbacks_move_the_matching_recipient_forward_and_never_back()
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var id = await QiscusBroadcastAsync(stack, 3);
        var log = await AllRecipientsAsync(stack.App.Client, id);
        var byId = log[0].Str("provider_message_id");

        // By the vendor's message id, with the secret in the query.
        var r1 = await CallbackAsync(stack.App.Client, "qiscus", new { provider_message_id = byId, status = "delivered", timestamp = "2026-11-21T10:00:00Z", extra = 1 }, "qiscus-callback-secret");
        Assert.Equal("updated", (await r1.JsonAsync()).Str("outcome"));
        // By phone number, with the secret in the header.
        using var byPhone = new HttpRequestMessage(HttpMethod.Post, "api/callbacks/qiscus") { Content = JsonContent.Create(new { phone_number = "+" + Phone(1), status = "read" }) };
        byPhone.Headers.Add("x-callback-token", "qiscus-callback-secret");
        Assert.Equal("updated", (await (await stack.App.Client.SendAsync(byPhone)).JsonAsync()).Str("outcome"));
        // Backwards: delivered after read changes nothing.
        var back = await CallbackAsync(stack.App.Client, "qiscus", new { phone_number = Phone(1), status = "delivered" }, "qiscus-callback-secret");
        Assert.Equal("unchanged", (await back.JsonAsync()).Str("outcome"));
        // Read after delivered moves on.
        await CallbackAsync(stack.App.Client, "qiscus", new { provider_message_id = byId, status = "read" }, "qiscus-callback-secret");
        // A failure report after read is not a step forward either.
        var failedLate = await CallbackAsync(stack.App.Client, "qiscus", new { provider_message_id = byId, status = "failed" }, "qiscus-callback-secret");
        Assert.Equal("unchanged", (await failedLate.JsonAsync()).Str("outcome"));

        var after = await AllRecipientsAsync(stack.App.Client, id);
        Assert.Equal(["read", "read", "sent"], after.Select(r => r.Str("status")));
        var state = await StateAsync(stack.App.Client, id);
        Assert.Equal(2, state.GetProperty("total_received").GetInt32());
        Assert.Equal(2, state.GetProperty("total_read").GetInt32());
        Assert.Equal(3, state.GetProperty("total_sent").GetInt32());
        AssertCountersAddUp(state);
        Assert.Equal(2, (await AllRecipientsAsync(stack.App.Client, id, "read")).Count);
    }

    [Fact]
    public async Task A_failed_callback_turns_a_sent_recipient_failed_and_the_counters_follow()
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var id = await CreateAsync(stack.App.Client, new { provider = "khoros", text = "hi", recipients = InlineRecipients(2) });
        await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        var response = await CallbackAsync(stack.App.Client, "khoros", new { phone_number = Phone(0), status = "failed" }, "khoros-callback-secret");
        Assert.Equal("updated", (await response.JsonAsync()).Str("outcome"));
        var state = await StateAsync(stack.App.Client, id);
        Assert.Equal(1, state.GetProperty("total_sent").GetInt32());
        Assert.Equal(1, state.GetProperty("total_failed").GetInt32());
        AssertCountersAddUp(state);
        Assert.Equal(Phone(0), Assert.Single(await AllRecipientsAsync(stack.App.Client, id, "failed")).Str("phone_number"));
    }

    [Fact]
    public async Task Callbacks_from_the_fallback_provider_update_the_recipient_it_carried_and_the_first_providers_do_not()
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var template = await stack.App.PostJsonAsync("api/templates", new
        {
            name = "reminder",
            variants = new { qiscus = new { id = "7", name = "t", @namespace = "n", language = "id", variables = 1 }, khoros = new { text = "Hi {{1}}" } },
        });
        Assert.Equal(HttpStatusCode.Created, template.StatusCode);
        stack.Sandbox.State.Configure("qiscus", new Broadcast.Sandbox.VendorBehavior { FailPhones = new() { [Phone(1)] = 400 } });
        var recipients = Enumerable.Range(0, 2).Select(i => (object)new { to = Phone(i), variables = new[] { $"v{i}" } }).ToArray();
        var id = await CreateAsync(stack.App.Client, new { provider = "qiscus", template = "reminder", fallback = new[] { "khoros" }, recipients });
        await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal(["qiscus", "khoros"], (await AllRecipientsAsync(stack.App.Client, id)).Select(r => r.Str("provider")));
        var khorosBody = System.Text.Json.JsonDocument.Parse(Assert.Single(stack.Sandbox.State.Requests("khoros")).Body).RootElement;
        Assert.Equal("Hi v1", khorosBody.GetProperty("payload").Str("speech"));

        // Phone(1) went out through Khoros: Khoros's reports reach it, Qiscus's (which refused it) find nothing.
        var fromQiscus = await CallbackAsync(stack.App.Client, "qiscus", new { phone_number = Phone(1), status = "read" }, "qiscus-callback-secret");
        Assert.Equal("no_match", (await fromQiscus.JsonAsync()).Str("outcome"));
        var fromKhoros = await CallbackAsync(stack.App.Client, "khoros", new { phone_number = "+" + Phone(1), status = "read" }, "khoros-callback-secret");
        Assert.Equal("updated", (await fromKhoros.JsonAsync()).Str("outcome"));
        // Phone(0) stayed with Qiscus: a Khoros report for it finds nothing.
        var strayKhoros = await CallbackAsync(stack.App.Client, "khoros", new { phone_number = Phone(0), status = "delivered" }, "khoros-callback-secret");
        Assert.Equal("no_match", (await strayKhoros.JsonAsync()).Str("outcome"));

        var after = await AllRecipientsAsync(stack.App.Client, id);
        Assert.Equal(["sent", "read"], after.Select(r => r.Str("status")));
        var state = await StateAsync(stack.App.Client, id);
        Assert.Equal(1, state.GetProperty("total_read").GetInt32());
        Assert.Equal(1, state.GetProperty("total_failover").GetInt32());
        AssertCountersAddUp(state);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task A_wrong_or_missing_secret_answers_401_and_changes_nothing(string? token)
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var id = await QiscusBroadcastAsync(stack, 1);
        var response = await CallbackAsync(stack.App.Client, "qiscus", new { phone_number = Phone(0), status = "read" }, token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var stop = await CallbackAsync(stack.App.Client, "omnichat", new { from = "6281290641111@s.whatsapp.net", message = "STOP", message_id = "x", from_name = "A", type = "single" }, token);
        Assert.Equal(HttpStatusCode.Unauthorized, stop.StatusCode);

        Assert.Equal("sent", Assert.Single(await AllRecipientsAsync(stack.App.Client, id)).Str("status"));
        Assert.Empty((await stack.App.GetJsonAsync("api/suppressions")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"phone_number\": \"6281200000000\", \"status\": \"exploded\"}")]
    [InlineData("{\"status\": \"read\"}")]
    public async Task Malformed_callbacks_answer_400_and_change_nothing(string body)
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var id = await QiscusBroadcastAsync(stack, 1);
        var response = await stack.App.Client.PostAsync("api/callbacks/qiscus?token=qiscus-callback-secret", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("sent", Assert.Single(await AllRecipientsAsync(stack.App.Client, id)).Str("status"));
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData("  berhenti ")]
    [InlineData("Unsubscribe")]
    public async Task Stop_in_an_omnichat_callback_suppresses_the_number_in_the_next_broadcast(string reply)
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var response = await CallbackAsync(stack.App.Client, "omnichat",
            new { from = Phone(1) + "@s.whatsapp.net", message_id = "18DD98462C8AA16C5A598C3DEBA0879B", message = reply, from_name = "Bhisma", type = "single" },
            "omnichat-callback-secret");
        Assert.Equal("opted_out", (await response.JsonAsync()).Str("outcome"));

        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", text = "promo", recipients = InlineRecipients(3) });
        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal(1, done.GetProperty("total_suppressed").GetInt32());
        Assert.Equal(2, done.GetProperty("total_sent").GetInt32());
        Assert.False(stack.Sandbox.State.Deliveries("omnichat").ContainsKey(Phone(1)));
        Assert.Equal(Phone(1), Assert.Single(await AllRecipientsAsync(stack.App.Client, id, "suppressed")).Str("phone_number"));

        // A single message to that number is not sent either.
        var single = await stack.App.SendAndWaitAsync(new { provider = "omnichat", to = Phone(1), text = "hi" });
        Assert.Equal("suppressed", single.GetProperty("recipient").Str("status"));
    }

    [Fact]
    public async Task An_ordinary_reply_and_the_webhook_shape_suppress_nobody()
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var reply = await CallbackAsync(stack.App.Client, "omnichat", new { from = Phone(1) + "@s.whatsapp.net", message_id = "1", message = "Halo, stop by tomorrow?", from_name = "B", type = "single" }, "omnichat-callback-secret");
        Assert.Equal("ignored", (await reply.JsonAsync()).Str("outcome"));
        var webhook = await CallbackAsync(stack.App.Client, "omnichat", new { device_key = "DEVICEID", name = "FROM NAME", message = "hello", type = "single" }, "omnichat-callback-secret");
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Empty((await stack.App.GetJsonAsync("api/suppressions")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_suppression_endpoints_add_list_and_remove_numbers()
    {
        await using var stack = await Stack.StartAsync(Secrets);
        var add = await stack.App.PostJsonAsync("api/suppressions", new { phone_number = "0812-9064-1111", reason = "asked by phone" });
        Assert.Equal(HttpStatusCode.Created, add.StatusCode);
        var added = await add.JsonAsync();
        Assert.Equal("6281290641111", added.Str("phone_number"));
        Assert.Equal("asked by phone", added.Str("reason"));

        var bad = await stack.App.PostJsonAsync("api/suppressions", new { phone_number = "08x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("phone_number", (await bad.JsonAsync()).Str("field"));

        var list = await stack.App.GetJsonAsync("api/suppressions");
        Assert.Equal("6281290641111", Assert.Single(list.GetProperty("items").EnumerateArray()).Str("phone_number"));

        var single = await stack.App.SendAndWaitAsync(new { provider = "omnichat", to = "6281290641111", text = "hi" });
        Assert.Equal("suppressed", single.GetProperty("recipient").Str("status"));

        Assert.Equal(HttpStatusCode.NoContent, (await stack.App.Client.DeleteAsync("api/suppressions/%2B6281290641111")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.App.Client.DeleteAsync("api/suppressions/6281290641111")).StatusCode);
        Assert.Empty((await stack.App.GetJsonAsync("api/suppressions")).GetProperty("items").EnumerateArray());
        var again = await stack.App.SendAndWaitAsync(new { provider = "omnichat", to = "6281290641111", text = "hi" });
        Assert.Equal("sent", again.GetProperty("recipient").Str("status"));
    }
}
