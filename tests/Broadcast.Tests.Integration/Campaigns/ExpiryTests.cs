using System.Globalization;
using Broadcast.Tests.Infrastructure;
using static Broadcast.Tests.Integration.Broadcasts.BroadcastHelpers;

namespace Broadcast.Tests.Integration.Campaigns;

/// <summary>expires_at end to end, on the real clock: what the vendor receives, and when.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task Expires_at_3_s_ahead_of_2000_recipients_at_80_per_second_nothing_reaches_the_vendor_after_it_and_the_rest_end_expired()
    {
        const int count = 2000;
        await using var stack = await Stack.StartAsync(new Dictionary<string, string?> { ["Vendors:Omnichat:RatePerSecond"] = "80" });
        var uploadId = await UploadRecipientsAsync(stack.App.Client, count);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var id = await CreateAsync(stack.App.Client, new
        {
            provider = "omnichat", text = "Hi {name}", upload_id = uploadId, expires_at = expiresAt.ToOffset(TimeSpan.FromHours(7)).ToString("O", CultureInfo.InvariantCulture),
        });

        var final = await WaitFinishedAsync(stack.App.Client, id, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", final.Str("status"));
        var requests = stack.Sandbox.State.Requests("omnichat");
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.True(r.ReceivedAt < expiresAt, $"reached the vendor at {r.ReceivedAt:O}, after expires_at {expiresAt:O}"));
        var sent = final.GetProperty("total_sent").GetInt32();
        Assert.InRange(sent, 1, 3 * 80); // 80/s for at most 3 s
        Assert.Equal(sent, stack.Sandbox.State.AcceptedCount("omnichat"));
        Assert.Equal(count - sent, final.GetProperty("total_expired").GetInt32());
        Assert.Equal(0, final.GetProperty("total_queued").GetInt32());
        var expired = await AllRecipientsAsync(stack.App.Client, id, "expired");
        Assert.Equal(count - sent, expired.Count);
        Assert.All(expired, r => Assert.Equal("not sent by expires_at", r.Str("error")));
        Assert.Equal(expiresAt.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            final.Str("expires_at")[..19]);
    }
}
