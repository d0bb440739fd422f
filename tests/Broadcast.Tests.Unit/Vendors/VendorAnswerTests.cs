using System.Net;
using System.Net.Sockets;
using System.Text;
using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors;
using Broadcast.Core.Vendors.Omnichat;

namespace Broadcast.Tests.Unit.Vendors;

/// <summary>What each vendor answer proves, as <see cref="VendorHttp"/> classifies it (the sandbox tests of the
/// integration project show the same rows end to end). A fake handler stands in for the network: it reads the request
/// body (the request "went out") or not (it never did).</summary>
public sealed class VendorAnswerTests
{
    private const string ApiKey = "unit-omnichat-key";

    private sealed class FakeNetwork(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answer(request, cancellationToken);
    }

    private static async Task<SendResult> SendAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> network)
    {
        var options = new OmnichatOptions { BaseUrl = "http://vendor.invalid", ApiKey = ApiKey, TimeoutSeconds = 1 };
        using var http = new HttpClient(new FakeNetwork(network)) { Timeout = Timeout.InfiniteTimeSpan };
        using var client = new OmnichatClient(options, http);
        return await client.SendAsync(new SendRequest("b", new MessageContent("hi", null, null), new ChannelSpec(), false,
            new Recipient(1, "6281290641111", null, []), []), CancellationToken.None);
    }

    /// <summary>The request goes out whole (its body is read), then the vendor answers <paramref name="status"/>.</summary>
    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Answers(int status, string message = "vendor message") =>
        async (request, ct) =>
        {
            await request.Content!.ReadAsByteArrayAsync(ct);
            return new HttpResponseMessage((HttpStatusCode)status)
            {
                Content = new StringContent($$"""{"message": "{{message}}"}""", Encoding.UTF8, "application/json"),
            };
        };

    [Theory]
    [InlineData(429, SendOutcome.Transient, false)]
    [InlineData(503, SendOutcome.Transient, false)]
    [InlineData(408, SendOutcome.Transient, false)]
    [InlineData(500, SendOutcome.Transient, true)]
    [InlineData(502, SendOutcome.Transient, true)]
    [InlineData(504, SendOutcome.Transient, true)]
    [InlineData(501, SendOutcome.Transient, true)]
    [InlineData(400, SendOutcome.Permanent, false)]
    [InlineData(401, SendOutcome.Permanent, false)]
    [InlineData(422, SendOutcome.Permanent, false)]
    public async Task An_error_status_is_classified_by_what_it_proves(int status, SendOutcome outcome, bool maybeDelivered)
    {
        var result = await SendAsync(Answers(status));

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(maybeDelivered, result.MaybeDelivered);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal($"{status} vendor message", result.Error);
    }

    [Theory]
    [InlineData(500, SendOutcome.Transient)]
    [InlineData(504, SendOutcome.Transient)]
    [InlineData(400, SendOutcome.Permanent)]
    public async Task Omnichats_status_false_in_an_error_answer_proves_the_message_was_not_sent(int status, SendOutcome outcome)
    {
        var result = await SendAsync(async (request, ct) =>
        {
            await request.Content!.ReadAsByteArrayAsync(ct);
            return new HttpResponseMessage((HttpStatusCode)status)
            {
                Content = new StringContent("""{"status": false, "message": "Gagal mengirimkan pesan"}""", Encoding.UTF8, "application/json"),
            };
        });

        Assert.Equal(outcome, result.Outcome);
        Assert.False(result.MaybeDelivered);
        Assert.Equal($"{status} Gagal mengirimkan pesan", result.Error);
    }

    [Fact]
    public async Task A_gateways_page_is_stored_as_its_title_and_may_follow_a_delivery()
    {
        var result = await SendAsync(async (request, ct) =>
        {
            await request.Content!.ReadAsByteArrayAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.BadGateway)
            {
                Content = new StringContent("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", Encoding.UTF8, "text/html"),
            };
        });

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.True(result.MaybeDelivered);
        Assert.Equal("502 Bad Gateway", result.Error);
    }

    [Fact]
    public async Task A_vendor_echoing_the_key_in_its_error_is_stored_without_it()
    {
        var result = await SendAsync(Answers(500, $"bad request for api_key {ApiKey}"));

        Assert.Equal("500 bad request for api_key ***", result.Error);
    }

    [Fact]
    public async Task No_answer_after_the_request_went_out_may_have_been_delivered()
    {
        var result = await SendAsync(async (request, ct) =>
        {
            await request.Content!.ReadAsByteArrayAsync(ct);
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.True(result.MaybeDelivered);
        Assert.Equal("no answer within 1 s after the request was sent", result.Error);
    }

    [Fact]
    public async Task A_timeout_before_the_request_went_out_is_certain_not_to_have_delivered()
    {
        var result = await SendAsync(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct); // still connecting: the body is never read
            throw new InvalidOperationException("unreachable");
        });

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.False(result.MaybeDelivered);
        Assert.Equal("no connection within 1 s: the request was not sent", result.Error);
    }

    [Fact]
    public async Task A_refused_connection_is_certain_not_to_have_delivered()
    {
        var result = await SendAsync((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused",
            new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.False(result.MaybeDelivered);
        Assert.Equal("connection failed before the request was sent: ConnectionError (ConnectionRefused)", result.Error);
    }

    [Fact]
    public async Task A_connection_reset_after_the_request_went_out_may_have_been_delivered()
    {
        var result = await SendAsync(async (request, ct) =>
        {
            await request.Content!.ReadAsByteArrayAsync(ct);
            throw new HttpRequestException(HttpRequestError.Unknown, "reset",
                new IOException("Unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset)));
        });

        Assert.Equal(SendOutcome.Transient, result.Outcome);
        Assert.True(result.MaybeDelivered);
        Assert.Equal("connection lost after the request was sent, no answer: Unknown (ConnectionReset)", result.Error);
    }

    [Fact]
    public async Task The_body_goes_out_with_its_own_headers()
    {
        string? contentType = null;
        long? length = null;
        string? body = null;
        await SendAsync(async (request, ct) =>
        {
            contentType = request.Content!.Headers.ContentType?.ToString();
            length = request.Content.Headers.ContentLength;
            body = await request.Content.ReadAsStringAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"status": true}""", Encoding.UTF8, "application/json") };
        });

        Assert.Equal("application/json", contentType);
        Assert.Equal(Encoding.UTF8.GetByteCount(body!), length);
        Assert.Contains("\"phone\":\"6281290641111\"", body);
    }
}
