using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;
using static Broadcast.Tests.Integration.Templates.TemplateSamples;

namespace Broadcast.Tests.Integration.Templates;

/// <summary>Templates by name against Azurite and the vendor sandbox: the registry, sends by name producing the object
/// form's vendor request, variable checks before any vendor call, previews, and failover to the next provider.</summary>
public sealed class TemplateTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Vendors:Omnichat:RatePerSecond"] = "0",
        ["Vendors:Khoros:RatePerSecond"] = "0",
        ["Vendors:Qiscus:RatePerSecond"] = "0",
        ["Messaging:RetryBaseDelay"] = "00:00:00.010",
        ["Messaging:RetryMaxDelay"] = "00:00:00.050",
    };

    [Fact]
    public async Task The_registry_creates_lists_reads_replaces_and_deletes_by_a_case_insensitive_name()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var client = stack.App.Client;
        var created = await client.PostAsJsonAsync("api/templates", Invoice("Invoice_Update"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/templates/Invoice_Update", created.Headers.Location!.OriginalString);
        var body = await created.JsonAsync();
        Assert.Equal(2, body.GetProperty("variants").GetProperty("qiscus").GetProperty("variables").GetInt32());

        var again = await client.PostAsJsonAsync("api/templates", Invoice("invoice_UPDATE"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("name", (await again.JsonAsync()).Str("field"));

        var bad = await client.PostAsJsonAsync("api/templates", Invoice("no spaces"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("name", (await bad.JsonAsync()).Str("field"));

        var wrongVariant = await client.PostAsJsonAsync("api/templates", new { name = "k", variants = new { khoros = new { id = "1" } } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongVariant.StatusCode);
        Assert.StartsWith("variants.khoros", (await wrongVariant.JsonAsync()).Str("field"));

        var unknown = await client.PostAsJsonAsync("api/templates", new { name = "k", variants = new { khoros = new { text = "x" } }, bdy = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        Assert.Equal("Invoice_Update", (await stack.App.GetJsonAsync("api/templates/INVOICE_update")).Str("name"));
        await client.PostAsJsonAsync("api/templates", Invoice("another"));
        var page = await stack.App.GetJsonAsync("api/templates?limit=1");
        Assert.Single(page.GetProperty("items").EnumerateArray());
        var next = page.Str("continuation");
        var rest = await stack.App.GetJsonAsync($"api/templates?limit=1&continuation={next}");
        Assert.Single(rest.GetProperty("items").EnumerateArray());

        var put = await client.PutAsJsonAsync("api/templates/invoice_update", new { body = "Hi {{1}}", variants = new { khoros = new { @event = "Send template" } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var replaced = await put.JsonAsync();
        Assert.Equal("Invoice_Update", replaced.Str("name"));
        Assert.Equal("Send template", replaced.GetProperty("variants").GetProperty("khoros").Str("event"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("api/templates/invoice_update")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/templates/invoice_update")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("api/templates/invoice_update")).StatusCode);
    }

    [Fact]
    public async Task A_template_sent_by_name_makes_the_vendor_request_the_object_form_makes_and_wrong_variables_never_reach_a_vendor()
    {
        await using var stack = await Stack.StartAsync(Fast);
        Assert.Equal(HttpStatusCode.Created, (await stack.App.Client.PostAsJsonAsync("api/templates", Invoice())).StatusCode);

        async Task<JsonElement> BodyOf(string vendor, object message)
        {
            stack.Sandbox.State.Reset();
            var state = await stack.App.SendAndWaitAsync(message);
            Assert.Equal("sent", state.GetProperty("recipient").Str("status"));
            var body = JsonDocument.Parse(Assert.Single(stack.Sandbox.State.Requests(vendor)).Body).RootElement.Clone();
            return body;
        }
        static string Without(JsonElement body, params string[] names) =>
            JsonSerializer.Serialize(body.EnumerateObject().Where(p => !names.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value));

        // Qiscus: the broadcast name differs per send (it names the broadcast id); everything else is the same.
        var byName = await BodyOf("qiscus", new { provider = "qiscus", to = "081527975868", template = "invoice_update", variables = new[] { "Rp. 30.000", "10 Maret 2022" } });
        var byObject = await BodyOf("qiscus", new
        {
            provider = "qiscus", to = "081527975868",
            template = new
            {
                name = "invoince_update", id = "172", @namespace = "6616bb93_d895_41e7_8bbe_2c528219e56e", language = "id",
                variables = new[] { "Rp. 30.000", "10 Maret 2022" }, buttons = new[] { new { type = "url", values = "coba", index = 0 } },
            },
        });
        Assert.Equal(Without(byObject, "name"), Without(byName, "name"));

        // Omnichat: named variables in any order go out as the object form's.
        var omniByName = await BodyOf("omnichat", new { provider = "omnichat", to = "081527975868", template = "invoice_update",
            variables = new Dictionary<string, string> { ["{amount}"] = "Rp. 30.000", ["name"] = "Budi" } });
        var omniByObject = await BodyOf("omnichat", new { provider = "omnichat", to = "081527975868",
            template = new { id = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3", variables = new Dictionary<string, string> { ["{name}"] = "Budi", ["{amount}"] = "Rp. 30.000" } } });
        Assert.Equal(JsonSerializer.Serialize(omniByObject), JsonSerializer.Serialize(omniByName));

        // Khoros: the variant's text.
        var khorosByName = await BodyOf("khoros", new { provider = "khoros", to = "+1 234 567 8901", template = "invoice_update",
            variables = new Dictionary<string, string> { ["{name}"] = "Budi", ["{amount}"] = "Rp. 30.000" } });
        var khorosByObject = await BodyOf("khoros", new { provider = "khoros", to = "+1 234 567 8901", text = "Halo {name}, tagihan Anda {amount}",
            variables = new Dictionary<string, string> { ["{name}"] = "Budi", ["{amount}"] = "Rp. 30.000" } });
        Assert.Equal(JsonSerializer.Serialize(khorosByObject), JsonSerializer.Serialize(khorosByName));

        stack.Sandbox.State.Reset();
        var tooFew = await stack.App.PostJsonAsync("api/messages", new { provider = "qiscus", to = "081527975868", template = "invoice_update", variables = new[] { "Rp. 30.000" } });
        Assert.Equal(HttpStatusCode.BadRequest, tooFew.StatusCode);
        Assert.Equal("variables", (await tooFew.JsonAsync()).Str("field"));
        var missingName = await stack.App.PostJsonAsync("api/broadcasts", new
        {
            provider = "omnichat", template = "invoice_update",
            recipients = new[] { new { to = Phone(1), variables = new Dictionary<string, string> { ["{name}"] = "Budi" } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, missingName.StatusCode);
        Assert.Equal("recipients[0].variables", (await missingName.JsonAsync()).Str("field"));
        var noVariantFallback = await stack.App.PostJsonAsync("api/messages", new { provider = "qiscus", to = "081527975868", template = "missing_template", variables = new[] { "a", "b" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noVariantFallback.StatusCode);

        // A fallback provider must be able to send what the message sends: refused naming the field, and the provider.
        await stack.App.PostJsonAsync("api/templates", new { name = "qiscus_only", variants = new { qiscus = new { id = "7", name = "t", @namespace = "n", language = "id", variables = 1 } } });
        async Task AssertFallbackRefusedAsync(object message, string field, string? named)
        {
            var refused = await stack.App.PostJsonAsync("api/messages", message);
            var problem = await refused.JsonAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, problem.ToString());
            Assert.Equal(field, problem.Str("field"));
            if (named is not null) Assert.Contains(named, problem.Str("detail"));
        }
        await AssertFallbackRefusedAsync(new { provider = "omnichat", to = "081290641111", text = "Hi", fallback = new[] { "qiscus" } }, "fallback", "qiscus");
        await AssertFallbackRefusedAsync(new { provider = "qiscus", to = "081290641111", template = "qiscus_only", variables = new[] { "a" }, fallback = new[] { "khoros" } }, "fallback", "khoros");
        await AssertFallbackRefusedAsync(new { provider = "omnichat", to = "081290641111", text = "Hi", fallback = new[] { "pigeon" } }, "fallback[0]", "pigeon");
        await AssertFallbackRefusedAsync(new { provider = "omnichat", to = "081290641111", text = "Hi", fallback = new[] { "khoros", "omnichat" } }, "fallback[1]", "omnichat");
        Assert.Empty(stack.Sandbox.State.Requests());
    }

    [Fact]
    public async Task Previews_fill_the_body_and_uploads_are_checked_against_the_template()
    {
        await using var stack = await Stack.StartAsync(Fast);
        var client = stack.App.Client;
        await client.PostAsJsonAsync("api/templates", Invoice());
        var preview = await client.PostAsJsonAsync("api/templates/invoice_update/preview", new { variables = new[] { "Budi", "Rp. 30.000" } });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("Halo Budi, tagihan Anda Rp. 30.000", (await preview.JsonAsync()).Str("text"));

        var csv = "phone_number,customer_name,body_variable1,body_variable2\n6281200000001,Budi,Budi,Rp. 30.000\n6281200000002,Ani,Ani,Rp. 15.000\n";
        var upload = await client.PostAsync("api/uploads?provider=qiscus&template=invoice_update", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var uploadId = (await upload.JsonAsync()).Str("upload_id");
        var rows = await stack.App.GetJsonAsync($"api/uploads/{uploadId}/preview?template=invoice_update&rows=5");
        Assert.Equal(["Halo Budi, tagihan Anda Rp. 30.000", "Halo Ani, tagihan Anda Rp. 15.000"],
            rows.GetProperty("items").EnumerateArray().Select(i => i.Str("text")));

        var short_ = "phone_number,customer_name,body_variable1\n6281200000001,Budi,Budi\n";
        var refused = await client.PostAsync("api/uploads?provider=qiscus&template=invoice_update", new StringContent(short_, System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("template", (await refused.JsonAsync()).Str("field"));

        var unchecked_ = await client.PostAsync("api/uploads?provider=qiscus", new StringContent(short_, System.Text.Encoding.UTF8, "text/csv"));
        var shortId = (await unchecked_.JsonAsync()).Str("upload_id");
        var missing = await stack.App.PostJsonAsync("api/broadcasts", new { provider = "qiscus", upload_id = shortId, template = "invoice_update" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        var problem = await missing.JsonAsync();
        Assert.Equal(["body_variable2"], problem.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Recipients_omnichat_answers_status_false_for_fail_over_to_khoros_with_their_own_variables_and_are_counted_once()
    {
        await using var stack = await Stack.StartAsync(Fast);
        await stack.App.Client.PostAsJsonAsync("api/templates", Invoice());
        var failing = Enumerable.Range(0, 300).Where(i => i % 7 == 3).Take(40).ToHashSet();
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { OmnichatStatusFalsePhones = [.. failing.Select(Phone)] });
        var recipients = Enumerable.Range(0, 300).Select(i => (object)new
        {
            to = Phone(i), name = $"C{i}", variables = new Dictionary<string, string> { ["{name}"] = $"C{i}", ["{amount}"] = $"Rp. {i}" },
        }).ToArray();
        var id = await CreateAsync(stack.App.Client, new { provider = "omnichat", template = "invoice_update", fallback = new[] { "khoros" }, recipients });
        var done = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(90));
        AssertCountersAddUp(done);
        Assert.Equal(300, done.GetProperty("total_recipient").GetInt32());
        Assert.Equal(300, done.GetProperty("total_sent").GetInt32());
        Assert.Equal(0, done.GetProperty("total_failed").GetInt32());
        Assert.Equal(40, done.GetProperty("total_failover").GetInt32());

        // Each of the 40 reaches Khoros once, with its own variables in the variant's text.
        var khoros = stack.Sandbox.State.Requests("khoros").Select(r => JsonDocument.Parse(r.Body).RootElement.Clone()).ToList();
        var speechByPhone = khoros.ToDictionary(
            b => Assert.Single(b.GetProperty("audience").EnumerateArray()).Str("phoneNumber").TrimStart('+'),
            b => b.GetProperty("payload").Str("speech"));
        Assert.Equal(failing.Select(Phone).Order(), speechByPhone.Keys.Order());
        Assert.All(failing, i => Assert.Equal($"Halo C{i}, tagihan Anda Rp. {i}", speechByPhone[Phone(i)]));

        // Omnichat was asked once for every recipient (status false is not retried) and carried only the other 260.
        var omnichat = stack.Sandbox.State.Requests("omnichat").Select(r => JsonDocument.Parse(r.Body).RootElement.Str("phone")).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(Phone).Order(), omnichat.Order());
        var omnichatDelivered = stack.Sandbox.State.Deliveries("omnichat").Keys.ToHashSet();
        Assert.Equal(Enumerable.Range(0, 300).Where(i => !failing.Contains(i)).Select(Phone).Order(), omnichatDelivered.Order());

        var all = await AllRecipientsAsync(stack.App.Client, id);
        Assert.Equal(300, all.Count);
        var overs = all.Where(r => r.Str("provider") == "khoros").ToList();
        Assert.Equal(failing.Select(Phone).Order(), overs.Select(r => r.Str("phone_number")).Order());
        Assert.All(overs, r =>
        {
            var tries = r.GetProperty("attempts_by_provider").EnumerateArray().ToList();
            Assert.Equal(["omnichat", "khoros"], tries.Select(a => a.Str("provider")));
            Assert.Equal([1, 1], tries.Select(a => a.GetProperty("attempts").GetInt32()));
            Assert.False(string.IsNullOrEmpty(tries[0].Str("error")));
        });
        Assert.All(all.Where(r => r.Str("provider") != "khoros"), r =>
        {
            Assert.Equal("omnichat", r.Str("provider"));
            Assert.Equal("sent", r.Str("status"));
            Assert.Single(r.GetProperty("attempts_by_provider").EnumerateArray());
        });
    }

    [Fact]
    public async Task A_vendor_answering_503_fails_over_after_its_retries_and_at_most_once_never_fails_over_an_unknown_call()
    {
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?>(Fast) { ["Messaging:MaxAttempts"] = "3", ["Vendors:Omnichat:TimeoutSeconds"] = "1" });
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailNext = 1000, FailStatus = 503 });
        var state = await stack.App.SendAndWaitAsync(new { provider = "omnichat", to = "081290641111", text = "Hi", fallback = new[] { "khoros" } });
        var recipient = state.GetProperty("recipient");
        Assert.Equal("sent", recipient.Str("status"));
        Assert.Equal("khoros", recipient.Str("provider"));
        var tries = recipient.GetProperty("attempts_by_provider").EnumerateArray().ToList();
        Assert.Equal(3, tries[0].GetProperty("attempts").GetInt32());
        Assert.Equal(1, tries[1].GetProperty("attempts").GetInt32());

        // A suppressed recipient is never sent, so it never fails over either.
        Assert.Equal(HttpStatusCode.Created, (await stack.App.PostJsonAsync("api/suppressions", new { phone_number = "081290643333" })).StatusCode);
        stack.Sandbox.State.Reset();
        var suppressed = await stack.App.SendAndWaitAsync(new { provider = "omnichat", to = "081290643333", text = "Hi", fallback = new[] { "khoros" } });
        Assert.Equal("suppressed", suppressed.GetProperty("recipient").Str("status"));
        Assert.Empty(stack.Sandbox.State.Requests());

        stack.Sandbox.State.Reset();
        // No answer within the timeout: the call may have reached the vendor, so at_most_once ends it unknown there.
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { PhoneFaults = new() { ["6281290642222"] = new PhoneFault { Hang = true } } });
        var unknown = await stack.App.SendAndWaitAsync(new { provider = "omnichat", to = "081290642222", text = "Hi", fallback = new[] { "khoros" }, delivery = "at_most_once" });
        Assert.True(unknown.GetProperty("recipient").Str("status") == "unknown", unknown.ToString());
        Assert.Empty(stack.Sandbox.State.Requests("khoros"));
    }
}
