using System.Text.Json.Serialization;

namespace Broadcast.Core.Vendors.Omnichat;

/// <summary>The body of POST api-app/whatsapp/send-message: a text, or a template with its named variables
/// ("{name}": value), to a number or (is_group) a group id.</summary>
public sealed record OmnichatSendBody(
    [property: JsonPropertyName("phone")] string Phone,
    [property: JsonPropertyName("device_key")] string? DeviceKey,
    [property: JsonPropertyName("api_key")] string? ApiKey,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("template")] string? Template,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("is_group")] bool IsGroup,
    [property: JsonPropertyName("variables")] IReadOnlyDictionary<string, string>? Variables);

[JsonSerializable(typeof(OmnichatSendBody))]
internal sealed partial class OmnichatJson : JsonSerializerContext;
