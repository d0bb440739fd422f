using System.Net;
using System.Text;
using Broadcast.Core.Storage;
using Broadcast.Functions;
using Broadcast.Functions.Drops;
using Broadcast.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.WindowsAzure.Storage;

namespace Broadcast.Tests.Hosting;

/// <summary>The blob-triggered <c>BroadcastDrop</c> under the Functions host: the host's blob trigger payload posted
/// to the app, for a blob really dropped into the drops container in Azurite.</summary>
public sealed class BlobTriggerContractTests
{
    private const string Csv = "phone_number,name\n6281290641111,Budi\n";

    private static async Task<(TestApp App, RecordingDropProcessor Drops, string Container)> StartAsync(string outcome)
    {
        RecordingDropProcessor? drops = null;
        var app = await TestApp.StartAsync(FunctionsHostDriver.HostMode(), configure: b => b.Services.AddSingleton<IDropProcessor>(sp =>
            drops = new RecordingDropProcessor(sp.GetRequiredService<IStorage>(),
                FunctionsHost.DropsContainer(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<StorageNames>()), outcome)));
        var container = FunctionsHost.DropsContainer(app.Services.GetRequiredService<IConfiguration>(), app.Services.GetRequiredService<StorageNames>());
        Assert.Equal($"{app.Prefix}-broadcast-drops", container);
        _ = app.Services.GetRequiredService<IDropProcessor>();
        return (app, drops!, container);
    }

    private static async Task<Uri> DropAsync(TestApp app, string container, string name)
    {
        var account = CloudStorageAccount.Parse(app.Services.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"]);
        var blobs = account.CreateCloudBlobClient().GetContainerReference(container);
        await blobs.CreateIfNotExistsAsync();
        await app.Services.GetRequiredService<IStorage>().Blobs.UploadAsync(container, name, Encoding.UTF8.GetBytes(Csv), "text/csv", CancellationToken.None);
        return blobs.GetBlockBlobReference(name).Uri;
    }

    [Theory]
    [InlineData("promo.csv", true)]
    [InlineData("incoming/spring promo.csv", true)]
    [InlineData("incoming/spring promo.csv", false)]
    public async Task A_dropped_blob_is_handed_to_the_drop_processor_by_its_name(string name, bool metadataHasName)
    {
        var (app, drops, container) = await StartAsync("started");
        await using var _ = app;
        using var host = new FunctionsHostDriver(app);
        var uri = await DropAsync(app, container, name);

        var answer = (await host.InvokeAsync(FunctionsHost.DropFunction,
            FunctionsHostDriver.BlobPayload(Encoding.UTF8.GetBytes(Csv), metadataHasName ? name : null, uri))).AssertShape();

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Contains(answer.Logs, l => l.Contains(name) && l.Contains("started"));
        Assert.Equal((name, Csv), Assert.Single(drops.Processed));
    }

    [Fact]
    public async Task A_drop_still_waiting_answers_500_so_the_host_tries_it_again()
    {
        var (app, drops, container) = await StartAsync("waiting");
        await using var _ = app;
        using var host = new FunctionsHostDriver(app);
        var uri = await DropAsync(app, container, "later.csv");

        var answer = (await host.InvokeAsync(FunctionsHost.DropFunction, FunctionsHostDriver.BlobPayload(Encoding.UTF8.GetBytes(Csv), "later.csv", uri))).AssertShape();

        Assert.True(answer.Status == HttpStatusCode.InternalServerError, answer.ToString());
        Assert.Contains(answer.Logs, l => l.Contains("waiting") && l.Contains("sidecar"));
        Assert.Single(drops.Processed);
    }
}
