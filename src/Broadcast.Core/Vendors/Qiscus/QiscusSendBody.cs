using System.Text.Json.Serialization;
using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors.Qiscus;

/// <summary>The body of Qiscus's send-message call: one approved template to one number, its body variables in
/// order, and the dynamic parts of its buttons.</summary>
public sealed record QiscusSendBody(
    [property: JsonPropertyName("channel_id")] long ChannelId,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    [property: JsonPropertyName("template_name"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TemplateName,
    [property: JsonPropertyName("template_detail_id")] long TemplateDetailId,
    [property: JsonPropertyName("namespace"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Namespace,
    [property: JsonPropertyName("language"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Language,
    [property: JsonPropertyName("variables")] IReadOnlyList<string> Variables,
    [property: JsonPropertyName("phone_number")] string PhoneNumber,
    [property: JsonPropertyName("button_params")] IReadOnlyList<QiscusSendBody.Button>? ButtonParams)
{
    public sealed record Button(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("values")] string Values,
        [property: JsonPropertyName("index")] int Index)
    {
        public static Button From(TemplateButton b) => new(b.Type, b.Values, b.Index);
    }
}
