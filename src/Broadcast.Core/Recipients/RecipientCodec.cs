using System.Text.Json;
using Broadcast.Core.Messaging;

namespace Broadcast.Core.Recipients;

/// <summary>One recipient per line, as a compact JSON array:
/// <c>[row, "phone", "name"|null, ["var", ...], "header"|null, "button_type"|null, [["b1v1"], ...]|null]</c>.</summary>
public static class RecipientCodec
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream stream, Recipient r)
    {
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartArray();
            w.WriteNumberValue(r.Row);
            w.WriteStringValue(r.Phone);
            WriteNullable(w, r.Name);
            w.WriteStartArray();
            foreach (var v in r.Variables) w.WriteStringValue(v);
            w.WriteEndArray();
            WriteNullable(w, r.HeaderVariable);
            WriteNullable(w, r.ButtonType);
            if (r.ButtonVariables is null) w.WriteNullValue();
            else
            {
                w.WriteStartArray();
                foreach (var button in r.ButtonVariables)
                {
                    w.WriteStartArray();
                    foreach (var v in button) w.WriteStringValue(v);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        stream.WriteByte((byte)'\n');
    }

    private static void WriteNullable(Utf8JsonWriter w, string? value)
    {
        if (value is null) w.WriteNullValue();
        else w.WriteStringValue(value);
    }

    public static List<Recipient> ReadAll(ReadOnlySpan<byte> data)
    {
        var list = new List<Recipient>(RecipientSetIndex.DefaultPageSize);
        while (data.Length > 0)
        {
            var end = data.IndexOf((byte)'\n');
            var line = end < 0 ? data : data[..end];
            if (line.Length > 0) list.Add(Read(line));
            data = end < 0 ? default : data[(end + 1)..];
        }
        return list;
    }

    public static Recipient Read(ReadOnlySpan<byte> line)
    {
        var r = new Utf8JsonReader(line);
        Expect(ref r, JsonTokenType.StartArray);
        r.Read();
        var row = r.GetInt32();
        r.Read();
        var phone = r.GetString()!;
        r.Read();
        var name = r.TokenType == JsonTokenType.Null ? null : r.GetString();
        Expect(ref r, JsonTokenType.StartArray);
        var vars = new List<string>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray) vars.Add(r.GetString() ?? "");
        r.Read();
        var header = r.TokenType == JsonTokenType.Null ? null : r.GetString();
        r.Read();
        var buttonType = r.TokenType == JsonTokenType.Null ? null : r.GetString();
        r.Read();
        List<IReadOnlyList<string>>? buttons = null;
        if (r.TokenType == JsonTokenType.StartArray)
        {
            buttons = [];
            while (r.Read() && r.TokenType == JsonTokenType.StartArray)
            {
                var b = new List<string>();
                while (r.Read() && r.TokenType != JsonTokenType.EndArray) b.Add(r.GetString() ?? "");
                buttons.Add(b);
            }
        }
        return new Recipient(row, phone, name, vars, header, buttonType, buttons);
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (!r.Read() || r.TokenType != type) throw new InvalidDataException("Malformed recipient record.");
    }
}
