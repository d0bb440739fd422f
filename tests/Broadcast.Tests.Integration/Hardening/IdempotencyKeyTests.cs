using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Hardening;

/// <summary>Keys as Stripe keeps them: only a created broadcast binds its key.</summary>
public sealed class IdempotencyKeyTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private Stack Stack => fixture.Stack;

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body, string? key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null) message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await Stack.App.Client.SendAsync(message);
        return (response.StatusCode, await response.JsonAsync());
    }

    [Fact]
    public async Task A_request_that_finds_its_upload_missing_leaves_the_key_free()
    {
        var key = "order-" + Guid.NewGuid();
        var missing = await PostAsync("api/broadcasts", new { provider = "omnichat", text = "hi", upload_id = "aaaaaaaaaaaaaaaaaaaaaaaa" }, key);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);

        var corrected = new { provider = "omnichat", text = "hi", recipients = InlineRecipients(2) };
        var created = await PostAsync("api/broadcasts", corrected, key);
        Assert.Equal(HttpStatusCode.Accepted, created.Status);
        var again = await PostAsync("api/broadcasts", corrected, key);
        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.Equal(created.Body.Str("id"), again.Body.Str("id"));
        var other = await PostAsync("api/broadcasts", new { provider = "omnichat", text = "other", recipients = InlineRecipients(2) }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
    }

    [Fact]
    public async Task A_request_that_fails_validation_leaves_the_key_free()
    {
        var key = "msg-" + Guid.NewGuid();
        var bad = await PostAsync("api/messages", new { provider = "omnichat", to = "08x", text = "hi" }, key);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var tooMany = await PostAsync("api/messages", new { provider = "qiscus", to = "6281290641111",
            template = new { name = "t", id = "1", @namespace = "n", language = "id", variables = Enumerable.Range(0, 16).Select(i => "v").ToArray() } }, key);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        var good = await PostAsync("api/messages", new { provider = "omnichat", to = "6281290641111", text = "hi" }, key);
        Assert.Equal(HttpStatusCode.Accepted, good.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)] // 256 characters
    public async Task An_empty_or_overlong_key_is_400(string? key)
    {
        key ??= new string('k', 256);
        var answer = await PostAsync("api/broadcasts", new { provider = "omnichat", text = "hi", recipients = InlineRecipients(1) }, key);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Idempotency-Key", answer.Body.Str("field"));
    }

    [Fact]
    public async Task A_255_character_key_is_a_key()
    {
        var key = Guid.NewGuid().ToString("N") + new string('k', 255 - 32);
        var body = new { provider = "omnichat", to = "6281290641111", text = "hi" };
        var first = await PostAsync("api/messages", body, key);
        var second = await PostAsync("api/messages", body, key);
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(first.Body.Str("id"), second.Body.Str("id"));
    }
}
