using System.Net;
using System.Text;
using Broadcast.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Broadcast.Tests.Integration.Hardening;

/// <summary>A misbehaving vendor on a loopback port: it answers every call with whatever <c>answer</c> builds from
/// the request (its headers and body), as a vendor echoing what it got, or a proxy's HTML error page, would.</summary>
internal sealed class FakeVendor : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private FakeVendor(LoopbackServer server) => _server = server;

    public Uri Url => _server.Url;

    public static async Task<FakeVendor> StartAsync(Func<string, string, (int Status, string ContentType, string Body)> answer) =>
        new(await LoopbackServer.StartAsync(async context =>
        {
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
            var headers = string.Join("; ", context.Request.Headers.Select(h => $"{h.Key}: {h.Value}"));
            var (status, contentType, text) = answer(headers, body);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(text);
        }));

    public static string HtmlPage(HttpStatusCode status, string title) =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title><style>body{font-family:sans-serif}</style></head>" +
        "<body><h1>" + title + "</h1>" + string.Concat(Enumerable.Repeat("<p>The upstream server did not answer in time. Please try again later.</p>", 40)) +
        $"<hr><address>nginx at port {(int)status}</address></body></html>";

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
