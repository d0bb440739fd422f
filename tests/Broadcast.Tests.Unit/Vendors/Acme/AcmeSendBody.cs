using System.Text.Json.Serialization;

namespace Broadcast.Tests.Unit.Vendors.Acme;

/// <summary>The body of Acme's POST v1/messages: a text to one number, with the template's variables by position.</summary>
public sealed record AcmeSendBody(
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("vars")] IReadOnlyList<string> Vars);

[JsonSerializable(typeof(AcmeSendBody))]
internal sealed partial class AcmeJson : JsonSerializerContext;
