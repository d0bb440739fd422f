using Broadcast.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Broadcast.Tests.Integration.Dashboard;

/// <summary>The real app (with API keys), the vendor sandbox and Azurite, and Debian's chromium driven by Playwright;
/// shared by the dashboard tests, each in its own browser context (its own sessionStorage, time zone, language).</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // Without these the closed network here refuses chromium's connections (and it tries to reach Google at start).
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public Stack Stack { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public Uri DashboardUrl => new(Stack.App.BaseUrl, "api/dashboard/");

    /// <summary>Screenshots land in artifacts/screenshots (ignored by git); docs/screenshots holds a copy for the README.</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "screenshots")).FullName;
        return Path.Combine(dir, name + ".png");
    }

    public async Task InitializeAsync()
    {
        // Two sends a second: a broadcast of a few recipients runs for seconds, long enough to watch its bar move.
        Stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Vendors:Omnichat:RatePerSecond"] = "2" });
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: the test command installs it (apt-get install -y chromium).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs,
        });
    }

    public async Task<IPage> NewPageAsync(string timezone = "Asia/Jakarta", string locale = "en-US", string? apiKey = TestApp.ApiKey)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            TimezoneId = timezone, Locale = locale, ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(DashboardUrl.ToString());
        if (apiKey is not null) await EnterKeyAsync(page, apiKey);
        return page;
    }

    public static async Task EnterKeyAsync(IPage page, string key)
    {
        var dialog = page.Locator("#key-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.Locator("#key-input").FillAsync(key);
        await page.Locator("#key-submit").ClickAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Stack is not null) await Stack.DisposeAsync();
    }
}
