using System.Globalization;
using System.Text.Json;
using Broadcast.Core.Messaging;
using Broadcast.Core.Phones;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>Turns the API's JSON shapes into the core's, naming the field of anything wrong.</summary>
internal static class RequestMapping
{
    public static Provider Provider(string? value) =>
        Providers.TryParse(value, out var p) ? p
            : throw new IntakeException("provider", value is null ? "provider is required: qiscus, khoros or omnichat." : $"'{value}' is not a provider: qiscus, khoros or omnichat.");

    public static DeliveryGuarantee Delivery(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "at_least_once" => DeliveryGuarantee.AtLeastOnce,
        "at_most_once" => DeliveryGuarantee.AtMostOnce,
        _ => throw new IntakeException("delivery", "delivery is at_least_once or at_most_once."),
    };

    public static MessageContent Content(string? text, string? @event, TemplateRequest? template) =>
        new(text, @event, template is null ? null : new TemplateSpec(template.Name, TemplateId(template.Id), template.Namespace, template.Language, Buttons(template.Buttons)));

    public static ChannelSpec? Channel(ChannelRequest? c) => c is null ? null : new ChannelSpec(c.ChannelId, c.ChannelName, c.ExternalId, c.DeviceKey);

    private static string? TemplateId(JsonElement? id) => id switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        { ValueKind: JsonValueKind.Null } => null,
        _ => throw new IntakeException("template.id", "template.id is a string or a number."),
    };

    private static IReadOnlyList<TemplateButton>? Buttons(IReadOnlyList<ButtonRequest>? buttons) =>
        buttons?.Select((b, i) => new TemplateButton(
            b.Type ?? throw new IntakeException($"template.buttons[{i}].type", "A button needs its type."),
            b.Values switch
            {
                { ValueKind: JsonValueKind.String } v => v.GetString()!,
                { ValueKind: JsonValueKind.Array } v => string.Join(",", v.EnumerateArray().Select(x => x.ToString())),
                _ => throw new IntakeException($"template.buttons[{i}].values", "A button needs its values."),
            },
            b.Index ?? i)).ToList();

    /// <summary>Positional variables (a JSON array) or named ones (an object such as {"{name}": "Budi"}).</summary>
    public static (IReadOnlyList<string> Values, IReadOnlyList<string> Names) Variables(JsonElement? variables, string field)
    {
        switch (variables)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return ([], []);
            case { ValueKind: JsonValueKind.Array } array:
                return (array.EnumerateArray().Select((v, i) => Scalar(v, $"{field}[{i}]")).ToList(), []);
            case { ValueKind: JsonValueKind.Object } obj:
                var names = new List<string>();
                var values = new List<string>();
                foreach (var p in obj.EnumerateObject())
                {
                    names.Add(p.Name);
                    values.Add(Scalar(p.Value, $"{field}.{p.Name}"));
                }
                return (values, names);
            default:
                throw new IntakeException(field, "variables is a list of values or an object of named values.");
        }
    }

    private static string Scalar(JsonElement v, string field) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => throw new IntakeException(field, "A variable is a string or a number."),
    };

    /// <summary>A number, normalised; or, for an Omnichat group, the group id as given.</summary>
    public static string Phone(string? to, bool isGroup, string defaultCountryCode, string field)
    {
        if (string.IsNullOrWhiteSpace(to)) throw new IntakeException(field, "The recipient's number is required.");
        if (isGroup) return to.Trim();
        return PhoneNumbers.TryNormalize(to, defaultCountryCode, out var digits, out var error)
            ? digits : throw new IntakeException(field, error);
    }

    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
