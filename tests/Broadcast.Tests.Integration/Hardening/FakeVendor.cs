using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broadcast.Tests.Integration.Hardening;

/// <summary>A misbehaving vendor on a loopback port: it answers every call with whatever <c>answer</c> builds from
/// the request (its headers and body), as a vendor echoing what it got, or a proxy's HTML error page, would.</summary>
internal sealed class FakeVendor : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeVendor(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<FakeVendor> StartAsync(Func<string, string, (int Status, string ContentType, string Body)> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
            var headers = string.Join("; ", context.Request.Headers.Select(h => $"{h.Key}: {h.Value}"));
            var (status, contentType, text) = answer(headers, body);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(text);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeVendor(app, new Uri(address));
    }

    public static string HtmlPage(HttpStatusCode status, string title) =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title><style>body{font-family:sans-serif}</style></head>" +
        "<body><h1>" + title + "</h1>" + string.Concat(Enumerable.Repeat("<p>The upstream server did not answer in time. Please try again later.</p>", 40)) +
        $"<hr><address>nginx at port {(int)status}</address></body></html>";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
