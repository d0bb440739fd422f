using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Broadcasts;

internal static class BroadcastHelpers
{
    public static string Phone(int i) => $"62812{i:D8}";

    public static object[] InlineRecipients(int count, int from = 0) =>
        Enumerable.Range(from, count).Select(i => (object)new
        {
            to = Phone(i),
            name = $"Customer {i}",
            variables = new Dictionary<string, string> { ["{name}"] = $"Customer {i}", ["{code}"] = $"C-{i}" },
        }).ToArray();

    /// <summary>Uploads <paramref name="count"/> recipients (phone, name) as a CSV; answers the upload id.</summary>
    public static async Task<string> UploadRecipientsAsync(HttpClient client, int count)
    {
        var csv = new System.Text.StringBuilder("phone,name\n");
        for (var i = 0; i < count; i++) csv.Append(Phone(i)).Append(",Customer ").Append(i).Append('\n');
        using var content = new StringContent(csv.ToString(), System.Text.Encoding.UTF8, "text/csv");
        var response = await client.PostAsync("api/uploads", content);
        var json = await response.JsonAsync();
        if (response.StatusCode != HttpStatusCode.Created) throw new Xunit.Sdk.XunitException($"upload answered {(int)response.StatusCode}: {json}");
        return json.Str("upload_id");
    }

    public static async Task<string> CreateAsync(HttpClient client, object request, string? idempotencyKey = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/broadcasts") { Content = JsonContent.Create(request) };
        if (idempotencyKey is not null) message.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await client.SendAsync(message);
        var json = await response.JsonAsync();
        if (response.StatusCode != HttpStatusCode.Accepted) throw new Xunit.Sdk.XunitException($"create answered {(int)response.StatusCode}: {json}");
        return json.Str("id");
    }

    public static async Task<JsonElement> StateAsync(HttpClient client, string id) =>
        await (await client.GetAsync($"api/broadcasts/{id}")).JsonAsync();

    /// <summary>Polls until the broadcast is finished, checking at every poll that the counters add up.</summary>
    public static Task<JsonElement> WaitFinishedAsync(HttpClient client, string id, TimeSpan timeout) =>
        Poll.UntilAsync(async () =>
        {
            var s = await StateAsync(client, id);
            AssertCountersAddUp(s);
            return s;
        }, s => s.GetProperty("completed_at").ValueKind == JsonValueKind.String, timeout, $"broadcast {id} to finish");

    public static void AssertCountersAddUp(JsonElement s)
    {
        long Get(string n) => s.GetProperty(n).GetInt64();
        var sum = Get("total_queued") + Get("total_sent") + Get("total_failed") + Get("total_canceled") + Get("total_unknown") + Get("total_suppressed");
        Assert.True(sum == Get("total_recipient"), $"counters do not add up: {s}");
        Assert.True(Get("total_queued") >= 0, $"negative queued: {s}");
    }

    public static async Task<List<JsonElement>> AllRecipientsAsync(HttpClient client, string id, string? status = null)
    {
        var all = new List<JsonElement>();
        string? continuation = null;
        do
        {
            var url = $"api/broadcasts/{id}/recipients?limit=250" + (status is null ? "" : $"&status={status}")
                + (continuation is null ? "" : $"&continuation={Uri.EscapeDataString(continuation)}");
            var page = await (await client.GetAsync(url)).JsonAsync();
            all.AddRange(page.GetProperty("items").EnumerateArray());
            continuation = page.GetProperty("continuation").ValueKind == JsonValueKind.String ? page.Str("continuation") : null;
        } while (continuation is not null);
        return all;
    }
}
