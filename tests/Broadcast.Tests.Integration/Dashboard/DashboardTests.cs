using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Broadcast.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broadcast.Tests.Integration.Dashboard;

[CollectionDefinition(nameof(DashboardTests), DisableParallelization = true)]
public sealed class DashboardCollection;

/// <summary>The dashboard in a real browser against the real app: what a user does with it, end to end.</summary>
[Collection(nameof(DashboardTests))]
public sealed class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan BroadcastDeadline = TimeSpan.FromSeconds(60);

    private static string Csv(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public async Task Uploading_a_csv_shows_both_bad_rows_then_the_broadcast_runs_to_completed_live_and_its_log_downloads()
    {
        var page = await fixture.NewPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New broadcast" }).ClickAsync();
        var valid = Enumerable.Range(1, 8).Select(i => $"08129064{i:0000},Person {i},C-{i}").ToArray();
        // Rows 10 and 11 (the header is row 1): numbers that cannot be a phone number.
        var csv = Csv(["phone,name,{code}", .. valid, "12,Too Short,C-9", "not-a-number,Letters,C-10"]);
        await page.Locator("#nb-provider").SelectOptionAsync("omnichat");
        await page.Locator("#nb-file").SetInputFilesAsync(new FilePayload { Name = "customers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });

        var errors = page.Locator("table.row-errors tbody tr");
        await Expect(errors).ToHaveCountAsync(2);
        await Expect(errors.Nth(0)).ToContainTextAsync("10");
        await Expect(errors.Nth(0)).ToContainTextAsync("phone");
        await Expect(errors.Nth(1)).ToContainTextAsync("11");
        await Expect(page.Locator("[data-count=valid_recipients] dd")).ToHaveTextAsync("8");
        await Expect(page.Locator("[data-count=invalid_rows] dd")).ToHaveTextAsync("2");

        await page.Locator("#nb-text").FillAsync("Hi {name}, your code is {code}");
        await Expect(page.Locator("#nb-preview li").First).ToContainTextAsync("Hi Person 1, your code is C-1");
        await page.Locator("#nb-name").FillAsync("March promo");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("new-broadcast"), FullPage = true });

        await page.EvaluateAsync("window.__sameDocument = true");
        await page.Locator("#nb-submit").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "March promo", Level = 1 })).ToBeVisibleAsync();
        var id = Regex.Match(page.Url, "#/broadcasts/([^/]+)$").Groups[1].Value;
        Assert.NotEmpty(id);

        // At two sends a second the bar is seen part way, then at 100 % with the status completed, with no reload.
        var bar = page.GetByRole(AriaRole.Progressbar);
        var seen = new HashSet<int>();
        await Poll.UntilAsync(async () =>
        {
            var value = int.Parse(await bar.GetAttributeAsync("aria-valuenow") ?? "0", CultureInfo.InvariantCulture);
            seen.Add(value);
            return value;
        }, v => v == 100, BroadcastDeadline, "the progress bar to reach 100 %");
        Assert.Contains(seen, v => v < 100);
        await Expect(page.Locator(".summary-line .status")).ToHaveAttributeAsync("data-status", "completed");
        await Expect(page.Locator(".bar-label")).ToHaveTextAsync("100 %");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page reloaded");

        var rows = page.Locator("table.recipients tbody tr");
        await Expect(rows).ToHaveCountAsync(8);
        for (var i = 0; i < 8; i++) await Expect(rows.Nth(i).Locator(".status")).ToHaveAttributeAsync("data-status", "sent");
        await Expect(page.Locator("#chart-h + div svg rect")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("pre.request")).ToContainTextAsync("\"text\": \"Hi {name}, your code is {code}\"");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("broadcast"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        Assert.Equal($"broadcast-{id}-recipients.csv", download.SuggestedFilename);
        var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        Assert.Equal("row,phone_number,name,status,attempts,provider_message_id,error,sent_at", lines[0]);
        Assert.Equal(8, lines.Skip(1).Count(l => l.Contains(",sent,")));

        var state = await fixture.Stack.App.GetJsonAsync($"api/broadcasts/{id}");
        Assert.Equal("completed", state.GetProperty("status").GetString());
        Assert.Equal(8, state.GetProperty("total_sent").GetInt64());

        await page.GetByRole(AriaRole.Link, new() { Name = "Broadcasts" }).First.ClickAsync();
        await Expect(page.Locator($"tr[data-id='{id}'] [role=progressbar]")).ToHaveAttributeAsync("aria-valuenow", "100");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("broadcasts"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_broadcast_scheduled_in_the_browsers_time_zone_reaches_the_api_as_that_instant_and_is_canceled_from_the_page()
    {
        // India is UTC+05:30: an hour-only or UTC mistake shows as a wrong instant.
        const string zone = "Asia/Kolkata";
        var page = await fixture.NewPageAsync(timezone: zone);
        await page.GetByRole(AriaRole.Link, new() { Name = "New broadcast" }).ClickAsync();
        await page.Locator("#nb-provider").SelectOptionAsync("khoros");
        await page.Locator("#nb-file").SetInputFilesAsync(new FilePayload
        {
            Name = "audience.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv("phoneNumber,name", "+12345678901,John Doe", "+447911123456,Jane Roe")),
        });
        await Expect(page.Locator("[data-count=valid_recipients] dd")).ToHaveTextAsync("2");
        await page.Locator("#nb-text").FillAsync("Your order has shipped");

        // The next whole minute at least a minute ahead, typed as the wall-clock time in Kolkata.
        var now = DateTimeOffset.UtcNow;
        var target = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(2);
        var local = TimeZoneInfo.ConvertTime(target, TimeZoneInfo.FindSystemTimeZoneById(zone));
        await page.Locator("#nb-later").CheckAsync();
        await page.Locator("#nb-at").FillAsync(local.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        // Chromium names the zone by its older ICU name.
        await Expect(page.Locator("#nb-zone")).ToContainTextAsync(new Regex(@"Asia/(Kolkata|Calcutta) \(UTC\+05:30\)"));
        await page.Locator("#nb-submit").ClickAsync();
        await Expect(page.Locator(".summary-line .status")).ToHaveAttributeAsync("data-status", "scheduled");
        var id = Regex.Match(page.Url, "#/broadcasts/([^/]+)$").Groups[1].Value;

        var state = await fixture.Stack.App.GetJsonAsync($"api/broadcasts/{id}");
        Assert.Equal(target, state.GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal("scheduled", state.GetProperty("status").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel broadcast" }).ClickAsync();
        var confirm = page.Locator("dialog.confirm");
        await Expect(confirm).ToContainTextAsync("Recipients not yet sent will not get the message");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("cancel-confirmation") });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
        await Expect(page.Locator(".summary-line .status")).ToHaveAttributeAsync("data-status", "canceled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel broadcast" })).ToHaveCountAsync(0);

        var canceled = await fixture.Stack.App.GetJsonAsync($"api/broadcasts/{id}");
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Equal(2, canceled.GetProperty("total_canceled").GetInt64());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_api_key_shows_the_message_and_a_right_one_works_for_this_tab_only()
    {
        var page = await fixture.NewPageAsync(apiKey: null);
        var html = await (await page.APIRequest.GetAsync(fixture.DashboardUrl.ToString())).TextAsync();
        Assert.DoesNotContain(TestApp.ApiKey, html);

        await DashboardFixture.EnterKeyAsync(page, "not-the-key");
        await Expect(page.Locator("#key-message")).ToHaveTextAsync("That API key was not accepted. Check it and try again.");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("api-key") });
        await DashboardFixture.EnterKeyAsync(page, TestApp.ApiKey);
        await Expect(page.Locator("#key-dialog")).Not.ToBeVisibleAsync();
        await Expect(page.Locator("main .notice-error")).ToHaveCountAsync(0);
        Assert.Equal(TestApp.ApiKey, await page.EvaluateAsync<string>("sessionStorage.getItem('broadcast.apiKey')"));
        Assert.Null(await page.EvaluateAsync<string?>("localStorage.getItem('broadcast.apiKey')"));

        // A test message to one's own number, with the key the tab keeps.
        await page.GetByRole(AriaRole.Link, new() { Name = "Single message" }).ClickAsync();
        await page.Locator("#msg-to").FillAsync("0812-9064-7777");
        await page.Locator("#msg-provider").SelectOptionAsync("omnichat");
        await page.Locator("#msg-text").FillAsync("Test before the broadcast");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#single-message .notice .status")).ToHaveAttributeAsync("data-status", "sent");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_page_works_in_bahasa_indonesia_with_indonesian_numbers_and_dates()
    {
        var created = await fixture.Stack.App.PostJsonAsync("api/broadcasts", new
        {
            name = "promo ramadan", provider = "omnichat", text = "Halo {name}",
            recipients = Enumerable.Range(1, 3).Select(i => new { to = $"08129065{i:0000}", name = $"Pelanggan {i}" }).ToArray(),
        });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        await Poll.UntilAsync(() => fixture.Stack.App.GetJsonAsync($"api/broadcasts/{id}"), s => s.GetProperty("status").GetString() == "completed",
            BroadcastDeadline, "the broadcast to complete");

        var page = await fixture.NewPageAsync(locale: "en-US");
        await page.Locator("#lang").SelectOptionAsync("id");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "id");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Siaran baru" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Siaran");
        var row = page.Locator($"tr[data-id='{id}']");
        await Expect(row.Locator(".status")).ToHaveTextAsync("selesai");
        // Indonesian dates: "21 Nov 2026, 14.05.00" (dots in the time).
        await Expect(row.Locator("td").Last).ToHaveTextAsync(new Regex(@"\d{1,2} \w+ \d{4}.* \d{2}\.\d{2}\.\d{2}"));

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Penerima", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unduh CSV" })).ToBeVisibleAsync();
        await Expect(page.Locator("table.recipients tbody tr .status").First).ToHaveTextAsync("terkirim");

        await page.GetByRole(AriaRole.Link, new() { Name = "Daftar blokir" }).ClickAsync();
        await page.Locator("#sup-phone").FillAsync("0812-9065-9999");
        await page.Locator("#sup-reason").FillAsync("minta berhenti");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tambah nomor" }).ClickAsync();
        await Expect(page.Locator("main .notice")).ToHaveTextAsync("Nomor 6281290659999 ditambahkan.");
        await Expect(page.Locator("table.suppressions")).ToContainTextAsync("minta berhenti");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("suppressions-id"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Hapus 6281290659999" }).ClickAsync();
        await page.Locator("dialog.confirm").GetByRole(AriaRole.Button, new() { Name = "Ya" }).ClickAsync();
        await Expect(page.Locator("main .notice")).ToHaveTextAsync("Nomor 6281290659999 dihapus.");
        var gone = await fixture.Stack.App.Client.GetAsync("api/suppressions/6281290659999");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);

        await page.GetByRole(AriaRole.Link, new() { Name = "Kesehatan" }).ClickAsync();
        await Expect(page.Locator("table.health")).ToContainTextAsync("terkonfigurasi");
        await Expect(page.Locator("main dl")).ToContainTextAsync("terjangkau");
        await page.ScreenshotAsync(new() { Path = DashboardFixture.ScreenshotPath("health-id"), FullPage = true });

        await page.Locator("#lang").SelectOptionAsync("en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Health");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Statuses_the_page_does_not_know_yet_are_shown_as_they_come_and_waiting_says_until_when()
    {
        var created = await fixture.Stack.App.PostJsonAsync("api/broadcasts", new
        {
            name = "paced", provider = "omnichat", text = "Halo", started_at = DateTimeOffset.UtcNow.AddHours(1),
            recipients = new[] { new { to = "081290660001" } },
        });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // The engine and pacing work adds statuses (canceling, waiting with resumes_at): the page is given them as
        // the API would send them, on top of the real answer.
        var status = "waiting";
        var page = await fixture.NewPageAsync();
        await page.RouteAsync($"**/api/broadcasts/{id}", async route =>
        {
            var response = await route.FetchAsync();
            var body = JsonNode.Parse(await response.TextAsync())!.AsObject();
            body["status"] = status;
            body["resumes_at"] = "2030-01-01T09:00:00+07:00";
            await route.FulfillAsync(new() { Response = response, Body = body.ToJsonString() });
        });
        await page.GotoAsync($"{fixture.DashboardUrl}#/broadcasts/{id}");
        var badge = page.Locator(".summary-line .status");
        await Expect(badge).ToHaveTextAsync(new Regex("^waiting until .*2030"));
        status = "rebalancing";
        await Expect(badge).ToHaveTextAsync("rebalancing");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel broadcast" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        await fixture.Stack.App.Client.PostAsync($"api/broadcasts/{id}/cancel", null);
    }
}
