using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Functions;
using Broadcast.Functions.Apis;
using Broadcast.Functions.Http;

namespace Broadcast.Tests.Unit.Http;

/// <summary>How an unknown name is found in a JSON body and which known name it is offered as.</summary>
public sealed class UnknownFieldTests
{
    private static readonly JsonSerializerOptions Strict = StrictOptions();

    private static JsonSerializerOptions StrictOptions()
    {
        var options = Extensions.ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        return options;
    }

    [Theory]
    [InlineData("start_at", "started_at")]
    [InlineData("deliverry", "delivery")]
    [InlineData("nmae", "name")]     // two letters swapped: one edit
    [InlineData("startedAt", "started_at")]
    [InlineData("Started-At", "started_at")]
    [InlineData("tp", "to")]
    [InlineData("priority", null)]
    [InlineData("id", null)]          // short names are not offered as unrelated short names
    [InlineData("", null)]
    public void The_closest_known_name_is_offered_only_when_it_is_close(string typed, string? expected)
    {
        string[] known = ["provider", "to", "name", "text", "event", "template", "channel", "is_group", "started_at", "delivery"];
        Assert.Equal(expected, NameSuggestion.Closest(typed, known));
    }

    [Theory]
    [InlineData("""{"provider": "x", "start_at": 1}""", "start_at", "started_at")]
    [InlineData("""{"recipients": [{"to": "1"}, {"to": "2", "nmae": "b"}]}""", "recipients[1].nmae", "recipients[1].name")]
    [InlineData("""{"template": {"buttons": [{"type": "u", "valuez": 1}]}}""", "template.buttons[0].valuez", "template.buttons[0].values")]
    [InlineData("""{"channel": {"channel_id": 1, "odd name": {"a": [1, 2]}}}""", "channel.odd name", null)]
    public void An_unknown_field_is_named_by_its_path(string json, string field, string? didYouMean)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CreateBroadcastRequest>(json, Strict));
        var unknown = UnknownJsonField.Find(error, typeof(CreateBroadcastRequest), Strict);
        Assert.NotNull(unknown);
        Assert.Equal((field, didYouMean), (unknown.Field, unknown.DidYouMean));
    }

    [Theory]
    [InlineData("""{"provider": 12}""")]
    [InlineData("""{"recipients": [{"to": ["a"]}]}""")]
    [InlineData("""{"channel": {"channel_id": "x"}}""")]
    [InlineData("""{"recipients": [7]}""")]
    [InlineData("""{"provider": "a", "provider": "b"}""")]
    public void Any_other_body_error_is_not_taken_for_an_unknown_field(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CreateBroadcastRequest>(json, Strict));
        Assert.Null(UnknownJsonField.Find(error, typeof(CreateBroadcastRequest), Strict));
    }
}
