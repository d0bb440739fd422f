using System.Text.Json;
using Broadcast.Sandbox.Hosting;

namespace Broadcast.Sandbox.Qiscus;

/// <summary>Field checks for Qiscus request bodies. Each returns the vendor error message, or null when valid.</summary>
internal static class QiscusRequests
{
    public static string Invalid(string field) => $"{field} is invalid";

    public static string? ReadClient(JsonElement body, out QiscusClientRequest? request)
    {
        request = null;
        if (!JsonFields.TryInteger(body, "channel_id", out var channelId) || channelId <= 0)
            return Invalid("channel_id");
        if (!JsonFields.TryNonEmptyString(body, "name", out _))
            return Invalid("name");
        if (!JsonFields.TryNonEmptyString(body, "template_name", out var templateName))
            return Invalid("template_name");
        if (!JsonFields.TryInteger(body, "template_detail_id", out var templateDetailId) || templateDetailId <= 0)
            return Invalid("template_detail_id");
        if (!JsonFields.TryNonEmptyString(body, "namespace", out var ns))
            return Invalid("namespace");
        if (!JsonFields.TryNonEmptyString(body, "language", out var language))
            return Invalid("language");
        if (!TryVariables(body, out var variables))
            return Invalid("variables");
        if (!JsonFields.TryString(body, "phone_number", out var phone) || !QiscusPhone.IsValid(phone))
            return Invalid("phone_number");
        if (!TryOptionalStartedAt(body, out var startedAt))
            return Invalid("started_at");
        if (ButtonParamsError(body) is { } buttonError)
            return buttonError;

        request = new QiscusClientRequest(templateName, ns, language, variables, phone, startedAt);
        return null;
    }

    public static string? ReadSend(JsonElement body, out QiscusSendRequest? request)
    {
        request = null;
        if (!JsonFields.TryInteger(body, "template_detail_id", out var templateDetailId) || templateDetailId <= 0)
            return Invalid("template_detail_id");
        if (!JsonFields.TryInteger(body, "broadcast_file_id", out var fileId) || fileId <= 0)
            return Invalid("broadcast_file_id");
        if (!JsonFields.TryNonEmptyString(body, "name", out var name))
            return Invalid("name");
        if (!JsonFields.TryString(body, "separator", out var separatorText) || !TrySeparator(separatorText, out var separator))
            return Invalid("separator");
        if (!TryOptionalStartedAt(body, out var startedAt))
            return Invalid("started_at");

        request = new QiscusSendRequest(templateDetailId, fileId, name, separator, startedAt);
        return null;
    }

    public static string? ReadSend(IReadOnlyDictionary<string, string> fields, out QiscusSendRequest? request)
    {
        request = null;
        if (!JsonFields.TryPositiveIntegerText(fields.GetValueOrDefault("template_detail_id"), out var templateDetailId))
            return Invalid("template_detail_id");
        if (!JsonFields.TryPositiveIntegerText(fields.GetValueOrDefault("broadcast_file_id"), out var fileId))
            return Invalid("broadcast_file_id");
        if (fields.GetValueOrDefault("name") is not { } name || string.IsNullOrWhiteSpace(name))
            return Invalid("name");
        if (!TrySeparator(fields.GetValueOrDefault("separator"), out var separator))
            return Invalid("separator");
        DateTimeOffset? startedAt = null;
        if (fields.GetValueOrDefault("started_at") is { Length: > 0 } startedText)
        {
            if (!JsonFields.TryIso8601(startedText, out var parsed))
                return Invalid("started_at");
            startedAt = parsed;
        }

        request = new QiscusSendRequest(templateDetailId, fileId, name, separator, startedAt);
        return null;
    }

    public static bool TrySeparator(string? text, out char separator)
    {
        separator = text switch { "," => ',', ";" => ';', _ => '\0' };
        return separator != '\0';
    }

    private static bool TryVariables(JsonElement body, out IReadOnlyList<string> variables)
    {
        variables = [];
        if (!JsonFields.TryGet(body, "variables", out var element) || element.ValueKind != JsonValueKind.Array)
            return false;
        var list = new List<string>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                return false;
            list.Add(item.GetString()!);
        }
        variables = list;
        return list.Count <= QiscusCsvTemplate.MaxBodyVariables;
    }

    private static bool TryOptionalStartedAt(JsonElement body, out DateTimeOffset? startedAt)
    {
        startedAt = null;
        if (!JsonFields.Has(body, "started_at"))
            return true;
        if (!JsonFields.TryString(body, "started_at", out var text) || !JsonFields.TryIso8601(text, out var parsed))
            return false;
        startedAt = parsed;
        return true;
    }

    private static string? ButtonParamsError(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "button_params", out var buttons))
            return null;
        if (buttons.ValueKind != JsonValueKind.Array)
            return Invalid("button_params");
        var i = 0;
        foreach (var button in buttons.EnumerateArray())
        {
            var at = $"button_params[{i++}]";
            if (button.ValueKind != JsonValueKind.Object)
                return Invalid(at);
            if (!JsonFields.TryNonEmptyString(button, "type", out _))
                return Invalid($"{at}.type");
            if (!IsButtonValues(button))
                return Invalid($"{at}.values");
            if (!JsonFields.TryInteger(button, "index", out var index) || index < 0)
                return Invalid($"{at}.index");
        }
        return null;
    }

    // The sample sends a string; a list of strings is accepted too.
    private static bool IsButtonValues(JsonElement button) =>
        JsonFields.TryGet(button, "values", out var values) && values.ValueKind switch
        {
            JsonValueKind.String => true,
            JsonValueKind.Array => values.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String),
            _ => false,
        };
}
