using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.DeliveryOutcomes;

/// <summary>A vendor that refuses the connection certainly did not act: the call is retried under both guarantees,
/// up to the recipient's attempts. The vendor's address is a loopback port nothing listens on.</summary>
public sealed class RefusedConnectionTests
{
    [Theory]
    [InlineData("at_most_once")]
    [InlineData("at_least_once")]
    public async Task A_refused_connection_is_retried_under_both_guarantees(string delivery)
    {
        var closed = Ports.Free(); // free a moment ago, and nothing here listens on it
        var settings = new Dictionary<string, string?>(Stack.FastRetries)
        {
            ["Vendors:Omnichat:BaseUrl"] = $"http://127.0.0.1:{closed}",
            ["Vendors:Omnichat:ApiKey"] = "refused-omnichat-key",
        };
        await using var app = await TestApp.StartAsync(settings);

        var state = await app.SendAndWaitAsync(new { provider = "omnichat", to = "6281290641111", text = "hi", delivery });

        var recipient = state.GetProperty("recipient");
        Assert.Equal("failed", recipient.Str("status"));
        Assert.Equal(5, recipient.GetProperty("attempts").GetInt32());
        Assert.Equal("gave up after 5 attempts: connection failed before the request was sent: ConnectionError (ConnectionRefused)",
            recipient.Str("error"));
    }
}
