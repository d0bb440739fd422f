using System.Net.Http.Json;
using System.Text.Json;

namespace Broadcast.Tests.Infrastructure;

public static class JsonExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"Not JSON ({(int)response.StatusCode}): {text}");
        }
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    /// <summary>Sends one message and waits (?wait=) for its final state.</summary>
    public static async Task<JsonElement> SendAndWaitAsync(this TestApp app, object message, int waitSeconds = 30)
    {
        var response = await app.Client.PostAsJsonAsync($"api/messages?wait={waitSeconds}", message);
        var json = await response.JsonAsync();
        if ((int)response.StatusCode != 200) throw new Xunit.Sdk.XunitException($"Expected 200, got {(int)response.StatusCode}: {json}");
        return json;
    }
}
