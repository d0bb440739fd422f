using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Broadcast.Tests.Integration.Templates.TemplateSamples;

namespace Broadcast.Tests.Integration.Dashboard;

/// <summary>The Templates page and templates by name on the New broadcast and broadcast pages, in a real browser
/// against the real app.</summary>
[Collection(nameof(DashboardTests))]
public sealed class DashboardTemplateTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private const string OmnichatId = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3";

    [Fact]
    public async Task A_template_is_registered_previewed_edited_listed_and_deleted_from_the_templates_page()
    {
        var page = await fixture.NewPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates", Exact = true }).ClickAsync();
        await page.Locator("#new-template").ClickAsync();
        await page.Locator("#tpl-name").FillAsync("dash_invoice");
        await page.Locator("#tpl-body").FillAsync("Halo {{1}}, tagihan Anda {{2}}");
        await page.Locator("#tpl-omnichat").CheckAsync();
        await page.Locator("#tpl-omnichat-id").FillAsync(OmnichatId);
        await page.Locator("#tpl-omnichat-variables").FillAsync("{name}, {amount}");
        await page.Locator("#tpl-khoros").CheckAsync();
        await page.Locator("#tpl-khoros-text").FillAsync("Halo {name}, tagihan Anda {amount}");
        await page.Locator("#tpl-save").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "dash_invoice", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main .notice")).ToHaveTextAsync("Template dash_invoice saved.");
        var stored = await fixture.Stack.App.GetJsonAsync("api/templates/dash_invoice");
        Assert.Equal(["{name}", "{amount}"], stored.GetProperty("variants").GetProperty("omnichat").GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("Halo {name}, tagihan Anda {amount}", stored.GetProperty("variants").GetProperty("khoros").Str("text"));
        Assert.False(stored.GetProperty("variants").TryGetProperty("qiscus", out _));

        await page.Locator("#tpl-sample-1").FillAsync("Budi");
        await page.Locator("#tpl-sample-2").FillAsync("Rp. 30.000");
        await page.Locator("#tpl-preview").ClickAsync();
        await Expect(page.Locator("#tpl-preview-text")).ToHaveTextAsync("Halo Budi, tagihan Anda Rp. 30.000");

        // Edit: a Qiscus variant and a new body; the preview follows the saved body.
        await page.Locator("#tpl-qiscus").CheckAsync();
        await page.Locator("#tpl-qiscus-id").FillAsync("172");
        await page.Locator("#tpl-qiscus-name").FillAsync("invoince_update");
        await page.Locator("#tpl-qiscus-namespace").FillAsync("6616bb93_d895_41e7_8bbe_2c528219e56e");
        await page.Locator("#tpl-qiscus-variables").FillAsync("2");
        await page.Locator("#tpl-body").FillAsync("Hai {{1}}, tagihan {{2}}");
        await page.Locator("#tpl-save").ClickAsync();
        await Expect(page.Locator("main .notice")).ToHaveTextAsync("Template dash_invoice saved.");
        await page.Locator("#tpl-preview").ClickAsync();
        await Expect(page.Locator("#tpl-preview-text")).ToHaveTextAsync("Hai Budi, tagihan Rp. 30.000");
        var edited = await fixture.Stack.App.GetJsonAsync("api/templates/dash_invoice");
        Assert.Equal("Hai {{1}}, tagihan {{2}}", edited.Str("body"));
        Assert.Equal(2, edited.GetProperty("variants").GetProperty("qiscus").GetProperty("variables").GetInt32());
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("template"), FullPage = true });

        // A wrong variant is refused naming its field, and nothing changes.
        await page.Locator("#tpl-omnichat-id").FillAsync("");
        await page.Locator("#tpl-save").ClickAsync();
        await Expect(page.Locator("main .notice-error")).ToContainTextAsync("variants.omnichat");
        Assert.Equal(OmnichatId, (await fixture.Stack.App.GetJsonAsync("api/templates/dash_invoice")).GetProperty("variants").GetProperty("omnichat").Str("id"));

        // A single message by name asks for the variables of the provider's variant.
        await page.GetByRole(AriaRole.Link, new() { Name = "Single message" }).ClickAsync();
        await page.Locator("#msg-to").FillAsync("0812-9068-9999");
        await page.Locator("#msg-provider").SelectOptionAsync("omnichat");
        await page.Locator("#msg-kind").SelectOptionAsync("template");
        await page.Locator("#msg-template").SelectOptionAsync("dash_invoice");
        await Expect(page.Locator("label[for=msg-var-2]")).ToHaveTextAsync("Variable {amount}");
        await page.Locator("#msg-var-1").FillAsync("Budi");
        await page.Locator("#msg-var-2").FillAsync("Rp. 30.000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#single-message .notice .status")).ToHaveAttributeAsync("data-status", "sent");
        var sent = JsonDocument.Parse(fixture.Stack.Sandbox.State.Requests("omnichat").Last(r => r.Body.Contains("6281290689999")).Body).RootElement;
        Assert.Equal(OmnichatId, sent.Str("template"));
        Assert.Equal("Rp. 30.000", sent.GetProperty("variables").Str("{amount}"));

        Assert.Equal(HttpStatusCode.Created, (await fixture.Stack.App.Client.PostAsJsonAsync("api/templates", Invoice("dash_old"))).StatusCode);
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "dash_invoice" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "All templates" }).ClickAsync();
        await Expect(page.Locator("tr[data-name='dash_invoice'] td").Nth(1)).ToHaveTextAsync("Qiscus, Khoros, Omnichat");
        await Expect(page.Locator("tr[data-name='dash_old']")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("templates"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete dash_old" }).ClickAsync();
        await page.Locator("dialog.confirm").GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
        await Expect(page.Locator("main .notice")).ToHaveTextAsync("Template dash_old deleted.");
        await Expect(page.Locator("tr[data-name='dash_old']")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Stack.App.Client.GetAsync("api/templates/dash_old")).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_broadcast_picks_a_template_by_name_shows_its_columns_and_previews_and_fails_over_to_the_fallback()
    {
        Assert.Equal(HttpStatusCode.Created, (await fixture.Stack.App.Client.PostAsJsonAsync("api/templates", Invoice("dash_bills"))).StatusCode);
        fixture.Stack.Sandbox.State.Configure("omnichat", new VendorBehavior { OmnichatStatusFalsePhones = ["6281290680002"] });
        try
        {
            var page = await fixture.NewPageAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "New broadcast" }).ClickAsync();
            await page.Locator("#nb-provider").SelectOptionAsync("omnichat");
            var csv = "phone,name,{name},{amount}\n081290680001,Budi,Budi,Rp. 30.000\n081290680002,Ani,Ani,Rp. 15.000\n";
            await page.Locator("#nb-file").SetInputFilesAsync(new FilePayload { Name = "bills.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
            await Expect(page.Locator("[data-count=valid_recipients] dd")).ToHaveTextAsync("2");

            // The raw vendor fields are gone: a registered template is picked by name.
            await page.Locator("#nb-kind").SelectOptionAsync("template");
            await Expect(page.Locator("#nb-template-id")).ToHaveCountAsync(0);
            await page.Locator("#nb-template").SelectOptionAsync("dash_bills");
            var mapping = page.Locator("table.mapping tbody tr");
            await Expect(mapping).ToHaveCountAsync(2);
            await Expect(mapping.Nth(0)).ToHaveTextAsync("{name}{name}");
            await Expect(mapping.Nth(1)).ToHaveTextAsync("{amount}{amount}");
            await Expect(page.Locator("#nb-preview li").Nth(0)).ToContainTextAsync("Halo Budi, tagihan Anda Rp. 30.000");
            await Expect(page.Locator("#nb-preview li").Nth(1)).ToContainTextAsync("Halo Ani, tagihan Anda Rp. 15.000");

            await Expect(page.Locator("#nb-fallback-1 option")).ToHaveTextAsync(["None", "Qiscus", "Khoros"]);
            await page.Locator("#nb-fallback-1").SelectOptionAsync("khoros");
            await page.Locator("#nb-name").FillAsync("bills by name");
            await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("new-broadcast-template"), FullPage = true });
            await page.Locator("#nb-submit").ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "bills by name", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.Locator(".summary-line .status")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 60_000 });
            await Expect(page.Locator("[data-count=total_failover] dd")).ToHaveTextAsync("1");
            await Expect(page.Locator("[data-count=fallback] dd")).ToHaveTextAsync("omnichat → khoros");
            var ani = page.Locator("table.recipients tbody tr", new() { HasText = "6281290680002" });
            await Expect(ani.Locator(".provider")).ToHaveTextAsync("khoros");
            await Expect(ani.Locator(".tries")).ToHaveTextAsync("omnichat 1 → khoros 1");
            var budi = page.Locator("table.recipients tbody tr", new() { HasText = "6281290680001" });
            await Expect(budi.Locator(".provider")).ToHaveTextAsync("omnichat");
            await Expect(page.Locator("pre.request")).ToContainTextAsync("\"template_name\": \"dash_bills\"");
            await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("broadcast-failover"), FullPage = true });

            var khoros = fixture.Stack.Sandbox.State.Requests("khoros").Select(r => JsonDocument.Parse(r.Body).RootElement)
                .Where(b => b.GetProperty("audience")[0].Str("phoneNumber") == "+6281290680002").ToList();
            Assert.Equal("Halo Ani, tagihan Anda Rp. 15.000", Assert.Single(khoros).GetProperty("payload").Str("speech"));
            await page.Context.CloseAsync();
        }
        finally
        {
            fixture.Stack.Sandbox.State.Configure("omnichat", new VendorBehavior());
        }
    }
}
