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
        new(FieldLimits.Check(text, "text", FieldLimits.Text, multiline: true), FieldLimits.Check(@event, "event", FieldLimits.Event),
            template is null || template.Registered is not null ? null : new TemplateSpec(
                FieldLimits.Check(template.Name, "template.name", FieldLimits.TemplateName),
                FieldLimits.Check(TemplateId(template.Id), "template.id", FieldLimits.TemplateId),
                FieldLimits.Check(template.Namespace, "template.namespace", FieldLimits.TemplateNamespace),
                FieldLimits.Check(template.Language, "template.language", FieldLimits.TemplateLanguage),
                Buttons(template.Buttons)));

    public static ChannelSpec? Channel(ChannelRequest? c)
    {
        if (c is null) return null;
        if (c.ChannelId is <= 0) throw new IntakeException("channel.channel_id", "channel.channel_id is a positive whole number.");
        return new ChannelSpec(c.ChannelId,
            FieldLimits.Check(c.ChannelName, "channel.channel_name", FieldLimits.ChannelName),
            FieldLimits.Check(c.ExternalId, "channel.external_id", FieldLimits.ExternalId),
            FieldLimits.Check(c.DeviceKey, "channel.device_key", FieldLimits.DeviceKey));
    }

    internal static string? TemplateId(JsonElement? id, string field = "template.id") => id switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        { ValueKind: JsonValueKind.Null } => null,
        _ => throw new IntakeException(field, $"{field} is a string or a number."),
    };

    /// <param name="valuesRequired">A send's buttons need their values; a registered template's may leave them to
    /// each recipient (a CSV's button columns).</param>
    internal static IReadOnlyList<TemplateButton>? Buttons(IReadOnlyList<ButtonRequest?>? buttons, string buttonsField = "template.buttons", bool valuesRequired = true)
    {
        if (buttons is null) return null;
        if (buttons.Count > FieldLimits.Buttons) throw new IntakeException(buttonsField, $"A template has at most {FieldLimits.Buttons} buttons.");
        return buttons.Select((b, i) =>
        {
            var field = $"{buttonsField}[{i}]";
            if (b is null) throw new IntakeException(field, "A button is an object: {\"type\", \"values\", \"index\"}.");
            var values = b.Values switch
            {
                { ValueKind: JsonValueKind.String } v => v.GetString()!,
                { ValueKind: JsonValueKind.Array } v => string.Join(",", v.EnumerateArray().Select((x, j) => Scalar(x, $"{field}.values[{j}]"))),
                null or { ValueKind: JsonValueKind.Null } when !valuesRequired => "",
                _ => throw new IntakeException($"{field}.values", "A button needs its values."),
            };
            if (b.Index is < 0 or >= FieldLimits.Buttons) throw new IntakeException($"{field}.index", $"A button index is 0 to {FieldLimits.Buttons - 1}.");
            return new TemplateButton(
                FieldLimits.Check(b.Type, $"{field}.type", FieldLimits.ButtonType) ?? throw new IntakeException($"{field}.type", "A button needs its type."),
                FieldLimits.Check(values, $"{field}.values", FieldLimits.ButtonValues)!,
                b.Index ?? i);
        }).ToList();
    }

    /// <summary>Positional variables (a JSON array) or named ones (an object such as {"{name}": "Budi"}).</summary>
    public static (IReadOnlyList<string> Values, IReadOnlyList<string> Names) Variables(JsonElement? variables, string field)
    {
        const int max = FieldLimits.Variables;
        switch (variables)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                return ([], []);
            case { ValueKind: JsonValueKind.Array } array:
                if (array.GetArrayLength() > max) throw TooMany();
                return (array.EnumerateArray().Select((v, i) => Scalar(v, $"{field}[{i}]")).ToList(), []);
            case { ValueKind: JsonValueKind.Object } obj:
                var names = new List<string>();
                var values = new List<string>();
                foreach (var p in obj.EnumerateObject())
                {
                    if (names.Count == max) throw TooMany();
                    names.Add(FieldLimits.Check(p.Name, $"{field}.{p.Name}", FieldLimits.VariableName)!);
                    values.Add(Scalar(p.Value, $"{field}.{p.Name}"));
                }
                return (values, names);
            default:
                throw new IntakeException(field, "variables is a list of values or an object of named values.");
        }

        IntakeException TooMany() => new(field, $"At most {max} variables.");
    }

    private static string Scalar(JsonElement v, string field) => v.ValueKind switch
    {
        JsonValueKind.String => FieldLimits.Check(v.GetString()!, field, FieldLimits.VariableValue)!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => FieldLimits.Check(v.GetRawText(), field, FieldLimits.VariableValue)!,
        _ => throw new IntakeException(field, "A variable is a string or a number."),
    };

    public static string? Name(string? name, string field) => FieldLimits.Check(name, field, FieldLimits.Name);

    /// <summary>A number, normalised; or, for an Omnichat group, the group id as given.</summary>
    public static string Phone(string? to, bool isGroup, string defaultCountryCode, string field)
    {
        if (string.IsNullOrWhiteSpace(to)) throw new IntakeException(field, "The recipient's number is required.");
        FieldLimits.Check(to, field, FieldLimits.To);
        if (isGroup) return to.Trim();
        return PhoneNumbers.TryNormalize(to, defaultCountryCode, out var digits, out var error)
            ? digits : throw new IntakeException(field, error);
    }

    /// <summary>An empty body, or the JSON literal null, where an object is expected.</summary>
    public static IntakeException MissingBody() => new("body", "The body is a JSON object; it was empty or null.");

    public static readonly HeaderParameter IdempotencyKeyHeader = new("Idempotency-Key",
        "A unique value (a UUID) per intended request: a repeat with the same key and body answers the broadcast the first one created; "
        + "the same key with another body is 422, while the first is still in progress 409. Printable ASCII; kept 24 hours.",
        FieldLimits.IdempotencyKey);

    /// <summary>The Idempotency-Key header: absent is null; present it is 1 to 255 characters of visible ASCII.</summary>
    public static string? IdempotencyKey(HttpRequest request)
    {
        var field = IdempotencyKeyHeader.Name;
        if (!request.Headers.TryGetValue(field, out var values)) return null;
        if (values.Count != 1) throw new IntakeException(field, "Send one Idempotency-Key.");
        var key = values[0]?.Trim() ?? "";
        if (key.Length == 0) throw new IntakeException(field, "The Idempotency-Key is empty: send a unique value (a UUID) or no header.");
        if (key.Length > FieldLimits.IdempotencyKey) throw new IntakeException(field, $"An Idempotency-Key is at most {FieldLimits.IdempotencyKey} characters.");
        if (key.Any(c => c is < ' ' or > '~')) throw new IntakeException(field, "An Idempotency-Key is printable ASCII characters.");
        return key;
    }

    /// <summary>A whole-number query parameter in [min, max]; absent is null; anything else is a 400 naming it.</summary>
    public static int? QueryInt(string? raw, string field, int min, int max)
    {
        if (raw is null) return null;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new IntakeException(field, $"{field} is a whole number from {min} to {max}.");
        return value;
    }

    /// <summary>A table-backed list's <c>limit</c> and <c>continuation</c>, parsed; either wrong is a 400 naming it.</summary>
    public static (int Limit, string? StorageToken) Paging(string? limit, string? continuation, int defaultLimit, int maxLimit) =>
        (QueryInt(limit, "limit", 1, maxLimit) ?? defaultLimit, PagingToken.Open(continuation));

    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
