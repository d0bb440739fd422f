using System.Text.Json;
using Broadcast.Functions.Drops;

namespace Broadcast.Tests.Unit.Drops;

/// <summary>A drop's request carried as blob metadata, read as the JSON body it stands for.</summary>
public sealed class DropMetadataTests
{
    private static JsonElement Read(Dictionary<string, string> metadata)
    {
        var (json, problem) = DropMetadata.ToJson(metadata);
        Assert.Null(problem);
        return JsonDocument.Parse(json!).RootElement;
    }

    [Fact]
    public void A_template_that_is_not_json_is_a_registered_templates_name_and_fallback_lists_providers_by_commas()
    {
        var body = Read(new() { ["provider"] = "omnichat", ["template"] = " invoice_update ", ["fallback"] = "khoros, qiscus" });
        Assert.Equal("invoice_update", body.GetProperty("template").GetString());
        Assert.Equal(["khoros", "qiscus"], body.GetProperty("fallback").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public void A_template_object_and_a_fallback_array_are_taken_as_json()
    {
        var body = Read(new() { ["template"] = """{"id": "510b32e9"}""", ["fallback"] = """["khoros"]""" });
        Assert.Equal("510b32e9", body.GetProperty("template").GetProperty("id").GetString());
        Assert.Equal("khoros", body.GetProperty("fallback")[0].GetString());
    }

    [Theory]
    [InlineData("template", "{\"id\": 1")]
    [InlineData("fallback", "[\"khoros\"")]
    public void Broken_json_is_refused_naming_the_key(string key, string value)
    {
        var (json, problem) = DropMetadata.ToJson(new Dictionary<string, string> { [key] = value });
        Assert.Null(json);
        Assert.Equal(key, problem!.Field);
    }

    [Fact]
    public void The_campaign_controls_are_keys_too_the_window_as_json_and_the_speed_cap_a_number()
    {
        var body = Read(new()
        {
            ["provider"] = "omnichat", ["time_zone"] = "Asia/Makassar", ["started_at"] = "2026-12-01T09:00:00", ["expires_at"] = "2026-12-01T18:00:00",
            ["window"] = """{"from": "08:00", "to": "20:00"}""", ["max_per_minute"] = " 600 ", ["notify_url"] = "https://crm.example.com/done",
        });
        Assert.Equal("Asia/Makassar", body.GetProperty("time_zone").GetString());
        Assert.Equal("2026-12-01T18:00:00", body.GetProperty("expires_at").GetString());
        Assert.Equal("08:00", body.GetProperty("window").GetProperty("from").GetString());
        Assert.Equal(600, body.GetProperty("max_per_minute").GetInt32());
        Assert.Equal("https://crm.example.com/done", body.GetProperty("notify_url").GetString());
        Assert.True(DropMetadata.HasRequest(new Dictionary<string, string> { ["max_per_minute"] = "60" }));
        var (_, problem) = DropMetadata.ToJson(new Dictionary<string, string> { ["max_per_minute"] = "fast" });
        Assert.Equal("max_per_minute", problem!.Field);
    }

    [Fact]
    public void A_fallback_alone_is_a_request()
    {
        Assert.True(DropMetadata.HasRequest(new Dictionary<string, string> { ["fallback"] = "khoros" }));
        Assert.False(DropMetadata.HasRequest(new Dictionary<string, string> { ["owner"] = "crm" }));
    }
}
