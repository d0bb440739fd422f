using System.Buffers;
using System.Text.Json;

namespace Broadcast.Functions.Drops;

/// <summary>The broadcast request carried as the CSV's blob metadata, one key per field of the
/// <c>POST /api/broadcasts</c> body; <c>template</c> and <c>channel</c> hold JSON (a <c>template</c> that is not a
/// JSON object or string is a registered template's name), <c>fallback</c> a comma-separated list of providers (or
/// a JSON array), the flags true or false, <c>max_per_minute</c> a whole number, <c>window</c> JSON.</summary>
internal static class DropMetadata
{
    private static readonly string[] TextKeys = ["provider", "name", "text", "event", "started_at", "delivery", "time_zone", "expires_at", "notify_url"];
    private static readonly string[] JsonKeys = ["template", "channel", "window"];
    private static readonly string[] FlagKeys = ["native_bulk", "is_group"];
    private static readonly string[] NumberKeys = ["max_per_minute"];
    private const string TemplateKey = "template";
    private const string FallbackKey = "fallback";
    private const string UploadIdKey = "upload_id";

    public static bool HasRequest(IReadOnlyDictionary<string, string> metadata) =>
        TextKeys.Concat(JsonKeys).Concat(FlagKeys).Concat(NumberKeys).Append(FallbackKey).Append(UploadIdKey).Any(metadata.ContainsKey);

    /// <summary>The metadata as the JSON body it stands for, or the key that cannot be one.</summary>
    public static (byte[]? Json, DropProblem? Problem) ToJson(IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.ContainsKey(UploadIdKey))
            return (null, DropProblem.BadField(UploadIdKey, "Invalid request", "A drop's recipients are its CSV: leave 'upload_id' out."));
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var key in TextKeys)
                if (metadata.TryGetValue(key, out var text)) w.WriteString(key, text);
            foreach (var key in FlagKeys)
            {
                if (!metadata.TryGetValue(key, out var flag)) continue;
                if (!bool.TryParse(flag.Trim(), out var value))
                    return (null, DropProblem.BadField(key, "Malformed request", $"Metadata '{key}' is true or false."));
                w.WriteBoolean(key, value);
            }
            foreach (var key in NumberKeys)
            {
                if (!metadata.TryGetValue(key, out var number)) continue;
                if (!int.TryParse(number.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
                    return (null, DropProblem.BadField(key, "Malformed request", $"Metadata '{key}' is a whole number."));
                w.WriteNumber(key, value);
            }
            foreach (var key in JsonKeys)
            {
                if (!metadata.TryGetValue(key, out var json)) continue;
                var value = json.Trim();
                if (key == TemplateKey && !value.StartsWith('{') && !value.StartsWith('"')) w.WriteString(key, value);
                else if (!TryWriteRaw(w, key, value)) return (null, NotJson(key));
            }
            if (metadata.TryGetValue(FallbackKey, out var fallback))
            {
                var value = fallback.Trim();
                if (value.StartsWith('['))
                {
                    if (!TryWriteRaw(w, FallbackKey, value)) return (null, NotJson(FallbackKey));
                }
                else
                {
                    w.WriteStartArray(FallbackKey);
                    foreach (var provider in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) w.WriteStringValue(provider);
                    w.WriteEndArray();
                }
            }
            w.WriteEndObject();
        }
        return (buffer.WrittenSpan.ToArray(), null);
    }

    private static bool TryWriteRaw(Utf8JsonWriter w, string key, string json)
    {
        w.WritePropertyName(key);
        try
        {
            w.WriteRawValue(json);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return false;
        }
    }

    private static DropProblem NotJson(string key) => DropProblem.BadField(key, "Malformed request", $"Metadata '{key}' is not valid JSON.");
}
