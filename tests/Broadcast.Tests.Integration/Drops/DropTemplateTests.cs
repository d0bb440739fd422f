using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Core.Storage;
using Broadcast.Sandbox;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;
using static Broadcast.Tests.Integration.Drops.DropHelpers;
using static Broadcast.Tests.Integration.Templates.TemplateSamples;

namespace Broadcast.Tests.Integration.Drops;

/// <summary>Drops that name a registered template, in a sidecar or in the CSV's metadata, with a fallback list.</summary>
public sealed class DropTemplateTests
{
    private const string OmnichatCsv = "phone,name,{name},{amount}\n6281290641111,Budi,Budi,Rp. 30.000\n6281290642222,Ani,Ani,Rp. 15.000\n";

    private static async Task<Stack> StartWithTemplateAsync()
    {
        var stack = await Stack.StartAsync(Settings());
        var created = await stack.App.Client.PostAsJsonAsync("api/templates", Invoice());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return stack;
    }

    [Fact]
    public async Task A_sidecar_naming_a_template_with_a_fallback_sends_its_variants_and_fails_over()
    {
        await using var stack = await StartWithTemplateAsync();
        var app = stack.App;
        stack.Sandbox.State.Configure("omnichat", new VendorBehavior { OmnichatStatusFalsePhones = ["6281290642222"] });
        await DropRequestAsync(app, "bills.json", new { provider = "omnichat", template = "invoice_update", fallback = new[] { "khoros" } });
        var etag = await DropCsvAsync(app, "bills.csv", OmnichatCsv);

        var result = await WaitReportAsync(app, "bills.result.json", etag);
        var done = await WaitFinishedAsync(app.Client, result.Str("broadcast_id"), TimeSpan.FromSeconds(30));
        Assert.Equal(2, done.GetProperty("total_sent").GetInt32());
        Assert.Equal(1, done.GetProperty("total_failover").GetInt32());
        Assert.Equal(["khoros"], done.GetProperty("fallback").EnumerateArray().Select(p => p.GetString()));

        var omnichat = JsonDocument.Parse(stack.Sandbox.State.Requests("omnichat").First(r => r.Body.Contains("6281290641111")).Body).RootElement;
        Assert.Equal("510b32e9-d6d9-4c75-83ae-f95cdfcc96e3", omnichat.Str("template"));
        Assert.Equal("Rp. 30.000", omnichat.GetProperty("variables").Str("{amount}"));
        var khoros = JsonDocument.Parse(Assert.Single(stack.Sandbox.State.Requests("khoros")).Body).RootElement;
        Assert.Equal("Halo Ani, tagihan Anda Rp. 15.000", khoros.GetProperty("payload").Str("speech"));
    }

    [Fact]
    public async Task Metadata_naming_a_template_sends_its_variant()
    {
        await using var stack = await StartWithTemplateAsync();
        var app = stack.App;
        var etag = await DropSampleAsync(app, "invoices.csv", "qiscus-template.csv",
            new Dictionary<string, string> { ["provider"] = "qiscus", ["template"] = "Invoice_Update", ["fallback"] = "khoros" });

        var result = await WaitReportAsync(app, "invoices.result.json", etag);
        var done = await WaitFinishedAsync(app.Client, result.Str("broadcast_id"), TimeSpan.FromSeconds(30));
        Assert.Equal(3, done.GetProperty("total_sent").GetInt32());
        Assert.Equal("invoice_update", done.GetProperty("message").Str("template_name"));
        var sent = stack.Sandbox.State.Requests("qiscus").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent, b =>
        {
            Assert.Equal(172, b.GetProperty("template_detail_id").GetInt32());
            Assert.Equal("6616bb93_d895_41e7_8bbe_2c528219e56e", b.Str("namespace"));
            Assert.Equal(2, b.GetProperty("variables").GetArrayLength());
        });
        Assert.Empty(stack.Sandbox.State.Requests("khoros"));
    }

    [Fact]
    public async Task A_drop_naming_an_unknown_template_or_lacking_its_columns_gets_an_error_file_and_starts_nothing()
    {
        await using var stack = await StartWithTemplateAsync();
        var app = stack.App;

        var unknown = await DropCsvAsync(app, "unknown.csv", OmnichatCsv, new Dictionary<string, string> { ["provider"] = "omnichat", ["template"] = "no_such_template" });
        var unknownError = await WaitReportAsync(app, "unknown.error.json", unknown);
        Assert.Equal(422, unknownError.GetProperty("status").GetInt32());
        Assert.Equal("template", unknownError.Str("field"));
        Assert.Empty(await BlobNamesAsync(app, app.Services.GetRequiredService<StorageNames>().UploadsContainer));

        var shortCsv = "phone,name,{name}\n6281290641111,Budi,Budi\n";
        var lacking = await DropCsvAsync(app, "lacking.csv", shortCsv, new Dictionary<string, string> { ["provider"] = "omnichat", ["template"] = "invoice_update" });
        var lackingError = await WaitReportAsync(app, "lacking.error.json", lacking);
        Assert.Equal(400, lackingError.GetProperty("status").GetInt32());
        Assert.Equal("template", lackingError.Str("field"));
        Assert.Contains("amount", lackingError.Str("detail"));

        // The primary's columns are there, the fallback's are not: refused once the file is read, naming them.
        var khorosLacking = "phone,name,{name},{amount}\n6281290641111,Budi,Budi,Rp. 1\n";
        await app.Client.PutAsJsonAsync("api/templates/invoice_update", new
        {
            variants = new Dictionary<string, object>
            {
                ["omnichat"] = new { id = "510b32e9-d6d9-4c75-83ae-f95cdfcc96e3", variables = new[] { "{name}", "{amount}" } },
                ["qiscus"] = new { id = "172", name = "invoince_update", @namespace = "n", language = "id", variables = 3 },
            },
        });
        var fallbackShort = await DropCsvAsync(app, "fallback.csv", khorosLacking,
            new Dictionary<string, string> { ["provider"] = "omnichat", ["template"] = "invoice_update", ["fallback"] = "qiscus" });
        var fallbackError = await WaitReportAsync(app, "fallback.error.json", fallbackShort);
        Assert.Equal(422, fallbackError.GetProperty("status").GetInt32());
        Assert.Equal("upload_id", fallbackError.Str("field"));
        Assert.Contains("body_variable3", fallbackError.Str("detail"));

        Assert.Empty(await BroadcastsAsync(app));
        Assert.Equal(0, stack.Sandbox.State.TotalRequests("omnichat"));
    }
}
