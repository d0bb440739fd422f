using System.Net;
using Broadcast.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Integration.Sandbox;

public sealed class SandboxAppTests
{
    [Fact]
    public async Task Build_reads_the_sandbox_section_then_applies_configure()
    {
        await using var app = SandboxApp.Build(
            ["--Sandbox:Qiscus:AppId=from-args", "--Sandbox:Khoros:ApiKey=khoros-args", "--Sandbox:MaxRecorded=5"],
            settings => settings.Khoros.ApiKey = "khoros-code");

        var settings = app.Services.GetRequiredService<SandboxSettings>();
        Assert.Equal("from-args", settings.Qiscus.AppId);
        Assert.Equal("khoros-code", settings.Khoros.ApiKey);
        Assert.Equal(5, settings.MaxRecorded);
        Assert.Equal("sandbox-qiscus-secret", settings.Qiscus.SecretKey);
        Assert.Equal("sandbox-omnichat-key", settings.Omnichat.ApiKey);
        Assert.True(settings.Record);
        Assert.Same(settings, app.Services.GetRequiredService<SandboxState>().Settings);
        Assert.Equal(SandboxApp.DefaultUrl, app.Configuration["urls"]);
    }

    [Fact]
    public async Task Urls_argument_wins_over_the_default()
    {
        await using var app = SandboxApp.Build(["--urls", "http://127.0.0.1:7181"]);

        Assert.Equal("http://127.0.0.1:7181", app.Configuration["urls"]);
    }

    [Fact]
    public void Invalid_settings_fail_fast()
    {
        Assert.Throws<InvalidOperationException>(() => SandboxApp.Build([], s => s.Qiscus.UploadCsvPath = "no-slash"));
        Assert.Throws<InvalidOperationException>(() => SandboxApp.Build([], s => s.Khoros.ApiKey = ""));
    }

    [Fact]
    public async Task StartAsync_binds_a_free_loopback_port()
    {
        await using var first = await SandboxApp.StartAsync();
        await using var second = await SandboxApp.StartAsync();

        Assert.Equal("127.0.0.1", first.BaseUrl.Host);
        Assert.EndsWith("/", first.BaseUrl.AbsoluteUri);
        Assert.NotEqual(first.BaseUrl, second.BaseUrl);
        using var http = second.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("sandbox/health")).StatusCode);
    }
}

public sealed class NotRecordingTests : SandboxTestBase
{
    protected override void Configure(SandboxSettings settings) => settings.Record = false;

    [Fact]
    public async Task Only_counters_and_deliveries_are_kept()
    {
        await PostOmnichatAsync(OmnichatText());
        await PostOmnichatAsync(new { api_key = "wrong" });
        var fileId = (await JsonOf(await UploadCsvAsync(Rows(3)))).GetProperty("broadcast_file_id").GetInt64();
        Assert.NotNull(State.UploadedFile(fileId));
        await SendBroadcastAsync(fileId);

        Assert.Empty(State.Requests());
        Assert.Equal(2, State.TotalRequests(Vendors.Omnichat));
        Assert.Equal(1, State.AcceptedCount(Vendors.Omnichat));
        Assert.Single(State.Deliveries(Vendors.Omnichat));
        Assert.Equal(3, State.Deliveries(Vendors.Qiscus).Count);
        Assert.Null(State.UploadedFile(fileId));
    }
}

public sealed class MaxRecordedTests : SandboxTestBase
{
    protected override void Configure(SandboxSettings settings) => settings.MaxRecorded = 3;

    [Fact]
    public async Task Oldest_records_are_dropped_beyond_the_limit()
    {
        for (var i = 0; i < 5; i++)
            await PostOmnichatAsync(OmnichatText($"62812000000{i}"));

        var kept = State.Requests();
        Assert.Equal(3, kept.Count);
        Assert.Equal([3L, 4L, 5L], kept.Select(r => r.Seq));
        Assert.Equal(5, State.Deliveries(Vendors.Omnichat).Count);
    }
}
