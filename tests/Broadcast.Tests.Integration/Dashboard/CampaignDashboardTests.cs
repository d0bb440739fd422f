using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Playwright;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;
using static Microsoft.Playwright.Assertions;

namespace Broadcast.Tests.Integration.Dashboard;

/// <summary>The campaign controls in the browser: set on the New broadcast page, shown on a broadcast's page (waiting
/// with the time it resumes, expired counts), and "Resend to failed" on a finished one.</summary>
[Collection(nameof(DashboardTests))]
public sealed class CampaignDashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private TestApp App => fixture.Stack.App;

    private static string BroadcastIdOf(IPage page) => Regex.Match(page.Url, "#/broadcasts/([^/]+)$").Groups[1].Value;

    [Fact]
    public async Task The_new_broadcast_page_sends_the_time_zone_window_expiry_speed_cap_and_notify_url_as_asked()
    {
        var page = await fixture.NewPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New broadcast" }).ClickAsync();
        await page.Locator("#nb-provider").SelectOptionAsync("omnichat");
        await page.Locator("#nb-file").SetInputFilesAsync(new FilePayload
        {
            Name = "makassar.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("phone,name\n081290651001,Andi\n081290651002,Rina\n"),
        });
        await Expect(page.Locator("[data-count=valid_recipients] dd")).ToHaveTextAsync("2");
        await page.Locator("#nb-text").FillAsync("Halo {name}");
        await page.Locator("#nb-name").FillAsync("Makassar promo");

        await page.Locator("#nb-later").CheckAsync();
        await page.Locator("#nb-at").FillAsync("2030-01-01T09:00");
        await page.Locator("#nb-tz").SelectOptionAsync("Asia/Makassar");
        await Expect(page.Locator("#nb-zone")).ToHaveTextAsync("Dates and times are read in Asia/Makassar.");
        await Expect(page.Locator("#nb-window-fields")).ToBeHiddenAsync();
        await page.GetByLabel("Only send in a delivery window").CheckAsync();
        await page.Locator("#nb-window-from").FillAsync("08:00");
        await page.Locator("#nb-window-to").FillAsync("17:00");
        await page.Locator("#nb-day-sun").UncheckAsync();
        await page.Locator("#nb-expires").FillAsync("2030-01-01T18:00");
        await page.Locator("#nb-max-per-minute").FillAsync("120");
        await page.Locator("#nb-notify").FillAsync("https://crm.example.com/hooks/broadcast-finished");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("new-broadcast-controls"), FullPage = true });
        await page.Locator("#nb-submit").ClickAsync();

        await Expect(page.Locator(".summary-line .status")).ToHaveAttributeAsync("data-status", "scheduled");
        var id = BroadcastIdOf(page);
        var state = await App.GetJsonAsync($"api/broadcasts/{id}");
        Assert.Equal("Asia/Makassar", state.Str("time_zone"));
        Assert.Equal("2030-01-01T09:00:00+08:00", state.Str("started_at"));
        Assert.Equal("2030-01-01T18:00:00+08:00", state.Str("expires_at"));
        Assert.Equal("08:00", state.GetProperty("window").Str("from"));
        Assert.Equal("17:00", state.GetProperty("window").Str("to"));
        Assert.Equal(["mon", "tue", "wed", "thu", "fri", "sat"], state.GetProperty("window").GetProperty("days").EnumerateArray().Select(d => d.GetString()!));
        Assert.Equal(120, state.GetProperty("max_per_minute").GetInt32());
        Assert.Equal("https://crm.example.com/hooks/broadcast-finished", state.Str("notify_url"));

        // The broadcast's page shows them.
        await Expect(page.Locator("[data-control=time_zone] dd")).ToHaveTextAsync("Asia/Makassar");
        await Expect(page.Locator("[data-control=window] dd")).ToHaveTextAsync("08:00–17:00, Mon, Tue, Wed, Thu, Fri, Sat");
        await Expect(page.Locator("[data-control=max_per_minute] dd")).ToHaveTextAsync("120");
        await Expect(page.Locator("[data-control=notify_url] dd")).ToHaveTextAsync("https://crm.example.com/hooks/broadcast-finished");
        await Expect(page.Locator("[data-control=expires_at]")).ToBeVisibleAsync();
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await App.Client.PostAsync($"api/broadcasts/{id}/cancel", null)).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_broadcast_outside_its_window_shows_waiting_with_the_time_it_resumes()
    {
        // A window that opens two hours from now (Jakarta time) and closes an hour after: closed now, whatever the hour.
        var jakarta = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, jakarta);
        var from = now.AddHours(2);
        var id = await CreateAsync(App.Client, new
        {
            name = "later today", provider = "omnichat", text = "Halo {name}", recipients = InlineRecipients(2, from: 300),
            window = new { from = from.ToString("HH:mm", CultureInfo.InvariantCulture), to = from.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture) },
        });
        var waiting = await Poll.UntilAsync(() => StateAsync(App.Client, id), s => s.Str("status") == "waiting", Deadline, "the broadcast to wait");
        var resumesAt = waiting.GetProperty("resumes_at").GetDateTimeOffset();
        Assert.InRange(resumesAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(1.9), TimeSpan.FromHours(2));

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.DashboardUrl}#/broadcasts/{id}");
        var badge = page.Locator(".summary-line .status");
        await Expect(badge).ToHaveAttributeAsync("data-status", "waiting");
        // The time it resumes, as the page writes dates (the browser is in Jakarta): "Dec 7, 2026, 2:05:00 PM".
        var shown = TimeZoneInfo.ConvertTime(resumesAt, jakarta).ToString("h:mm:ss tt", CultureInfo.GetCultureInfo("en-US"));
        await Expect(badge).ToContainTextAsync("waiting until");
        await Expect(badge).ToContainTextAsync(shown);
        await Expect(page.Locator("[data-count=resumes_at] dd")).ToContainTextAsync(shown);
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("broadcast-waiting"), FullPage = true });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await App.Client.PostAsync($"api/broadcasts/{id}/cancel", null)).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Expired_recipients_are_counted_and_resend_to_failed_starts_a_broadcast_of_the_failed_ones()
    {
        // At two sends a second, an expiry 2 s ahead leaves most of 12 recipients unsent.
        var expiring = await CreateAsync(App.Client, new
        {
            name = "flash sale", provider = "omnichat", text = "Halo {name}", recipients = InlineRecipients(12, from: 400),
            expires_at = DateTimeOffset.UtcNow.AddSeconds(2).ToString("O", CultureInfo.InvariantCulture),
        });
        var expired = await WaitFinishedAsync(App.Client, expiring, Deadline);
        Assert.True(expired.GetProperty("total_expired").GetInt32() > 0, expired.ToString());

        fixture.Stack.Sandbox.State.Configure("omnichat", new VendorBehavior { FailPhones = new() { [Phone(501)] = 400, [Phone(502)] = 400 } });
        string failing;
        try
        {
            failing = await CreateAsync(App.Client, new { name = "invoices", provider = "omnichat", text = "Halo {name}", recipients = InlineRecipients(3, from: 500) });
            Assert.Equal(2, (await WaitFinishedAsync(App.Client, failing, Deadline)).GetProperty("total_failed").GetInt32());
        }
        finally
        {
            fixture.Stack.Sandbox.State.ResetBehaviors();
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.DashboardUrl}#/broadcasts/{expiring}");
        await Expect(page.Locator("[data-count=total_expired] dd")).ToHaveTextAsync(expired.GetProperty("total_expired").GetInt32().ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("[role=progressbar]")).ToHaveAttributeAsync("aria-valuetext", new Regex("expired"));
        await page.Locator("#recipient-status").SelectOptionAsync("expired");
        await Expect(page.Locator("table.recipients tbody tr .status").First).ToHaveAttributeAsync("data-status", "expired");
        // Nobody failed or is unknown there: nothing to resend.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resend to failed" })).ToHaveCountAsync(0);

        await page.GotoAsync($"{fixture.DashboardUrl}#/broadcasts/{failing}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "invoices", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Resend to failed" }).ClickAsync();
        var confirm = page.Locator("dialog.confirm");
        await Expect(confirm).ToContainTextAsync("Send the 2 failed and unknown recipients of \"invoices\" again");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();

        await Expect(page).Not.ToHaveURLAsync(new Regex(Regex.Escape(failing) + "$"));
        var resent = BroadcastIdOf(page);
        await Expect(page.Locator("[data-control=resend_of] a")).ToHaveTextAsync(failing);
        await Expect(page.Locator(".summary-line .status")).ToHaveAttributeAsync("data-status", "completed");
        var state = await App.GetJsonAsync($"api/broadcasts/{resent}");
        Assert.Equal(failing, state.Str("resend_of"));
        Assert.Equal(2, state.GetProperty("total_recipient").GetInt32());
        Assert.Equal(2, state.GetProperty("total_sent").GetInt32());
        var rows = page.Locator("table.recipients tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("broadcast-resent"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
