using System.Net;
using System.Text;
using Broadcast.Core.Messaging;
using Broadcast.Core.Recipients;
using Broadcast.Core.Storage;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;
using Broadcast.Functions;
using Broadcast.Functions.Uploads;
using Broadcast.Tests.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Broadcast.Tests.Unit.Vendors.Acme;

/// <summary>docs/adding-a-vendor.md followed for a made-up fourth vendor: everything in this folder, registered by the
/// doc's one line beside the app's own vendors. The app's upload code recognises and reads Acme's sheet without a
/// line changed outside the folder (storage in memory, no network).</summary>
public sealed class AcmeVendorTests
{
    private static ServiceProvider App()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vendors:Acme:BaseUrl"] = "http://acme.invalid",
            ["Vendors:Acme:ApiKey"] = "acme-unit-key",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IStorage>(new InMemoryStorage());
        services.AddSingleton(new StorageNames());
        services.AddSingleton(sp => new RecipientSetReader(sp.GetRequiredService<IStorage>().Blobs));
        services.AddOptions<UploadOptions>();
        services.AddOptions<MessagingOptions>();
        services.AddUploads();
        services.AddVendors(config, () => []);

        // docs/adding-a-vendor.md, step 5: the one registration line.
        services.AddVendor<AcmeClient, AcmeOptions>(config, "Acme", (options, http) => new(options, http));

        return services.BuildServiceProvider();
    }

    private static Task<UploadSummary> UploadAsync(ServiceProvider app, string csv, UploadRequest? request = null) =>
        app.GetRequiredService<UploadImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), request ?? UploadRequest.None, CancellationToken.None);

    [Fact]
    public async Task The_registration_line_puts_acme_beside_the_other_vendors()
    {
        await using var app = App();

        var registry = app.GetRequiredService<VendorRegistry>();

        var acme = Assert.IsType<AcmeClient>(registry[AcmeClient.AcmeProvider]);
        Assert.True(acme.Options.IsConfigured);
        Assert.Equal(Enum.GetValues<Provider>().Length + 1, registry.All.Count());
        Assert.Contains("acme-unit-key", registry.Secrets);
    }

    [Fact]
    public async Task An_upload_in_acmes_sheet_is_recognised_and_read_by_its_layout()
    {
        await using var app = App();

        var summary = await UploadAsync(app, "msisdn,full_name,var_2,var_1\n6281200000001,Budi,second,first\n081200000002,Ani,b,a\n");

        Assert.Equal(AcmeCsvLayout.LayoutName, summary.Layout);
        Assert.Equal(["var_1", "var_2"], summary.VariableNames);
        Assert.Equal(2, summary.ValidRecipients);
        var recipients = new List<Recipient>();
        await foreach (var r in app.GetRequiredService<RecipientSetReader>().ReadAllAsync(summary.Recipients, CancellationToken.None))
            recipients.Add(r);
        Assert.Equal(["6281200000001", "6281200000002"], recipients.Select(r => r.Phone));
        Assert.Equal(["Budi", "Ani"], recipients.Select(r => r.Name));
        Assert.Equal(["first", "second"], recipients[0].Variables);
    }

    [Theory]
    [InlineData("msisdn,var_1,colour\n6281200000001,a,red\n", "'colour' is not a column of the Acme sheet")]
    [InlineData("msisdn,var_1,var_3\n6281200000001,a,c\n", "The header has var_3 but no var_2")]
    [InlineData("msisdn,var_1,{name}\n6281200000001,a,b\n", "The header mixes two layouts")]
    public async Task A_file_acmes_layout_cannot_hold_is_refused_naming_the_column(string csv, string detail)
    {
        await using var app = App();

        var refused = await Assert.ThrowsAsync<UploadRejectedException>(() => UploadAsync(app, csv));

        Assert.Contains(detail, refused.Message + " " + refused.Detail);
    }

    [Fact]
    public async Task The_other_vendors_layouts_are_still_told_apart()
    {
        await using var app = App();

        Assert.Equal("qiscus_template", (await UploadAsync(app, "phone_number,customer_name,body_variable1\n6281200000001,Budi,x\n")).Layout);
        Assert.Equal("named_variables", (await UploadAsync(app, "phone,name,{code}\n6281200000001,Budi,x\n")).Layout);
        Assert.Equal(SimpleCsvLayout.LayoutName, (await UploadAsync(app, "phone,name,city\n6281200000001,Budi,x\n")).Layout);
    }

    [Fact]
    public async Task Acmes_answers_are_classified_by_the_shared_rules_without_a_line_of_its_own()
    {
        string? body = null, key = null;
        using var http = new HttpClient(new AnswerWith(async request =>
        {
            key = request.Headers.GetValues("X-Acme-Key").Single();
            body = await request.Content!.ReadAsStringAsync();
            return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("""{"message": "upstream"}""", Encoding.UTF8, "application/json") };
        }));
        using var acme = new AcmeClient(new AcmeOptions { BaseUrl = "http://acme.invalid", ApiKey = "acme-unit-key" }, http);

        var result = await acme.SendAsync(new SendRequest("b", new MessageContent("hi", null, null), new ChannelSpec(), false,
            new Recipient(1, "6281200000001", null, ["first"]), []), CancellationToken.None);

        Assert.Equal("""{"to":"6281200000001","text":"hi","vars":["first"]}""", body);
        Assert.Equal("acme-unit-key", key);
        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.True(result.MaybeDelivered);
        Assert.Equal("502 upstream", result.Error);
    }

    private sealed class AnswerWith(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }
}
