using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Broadcast.Functions.Http;

/// <summary>Tells the error System.Text.Json raises for a body field its type does not have
/// (<c>UnmappedMemberHandling.Disallow</c>) from any other, without reading its English message: the error's path
/// (<c>$.recipients[3].nmae</c>) is walked through the request type's JSON contract, and a last name that the object
/// there does not declare is the unknown field.</summary>
internal static class UnknownJsonField
{
    public static UnknownFieldException? Find(JsonException json, Type? requestType, JsonSerializerOptions options)
    {
        if (requestType is null || json.Path is null || Parse(json.Path) is not { Count: > 0 } segments || segments[^1].Name is not { } name)
            return null;
        var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var info = options.GetTypeInfo(requestType);
        var parent = new StringBuilder();
        foreach (var segment in segments[..^1])
        {
            if (segment.Name is { } property)
            {
                var declared = info.Kind == JsonTypeInfoKind.Object ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, property, comparison)) : null;
                if (declared is null) return null;
                info = options.GetTypeInfo(declared.PropertyType);
                parent.Append(parent.Length == 0 ? "" : ".").Append(declared.Name);
            }
            else
            {
                if (info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null) return null;
                info = options.GetTypeInfo(info.ElementType);
                parent.Append('[').Append(segment.Index).Append(']');
            }
        }
        if (info.Kind != JsonTypeInfoKind.Object || info.Properties.Any(p => string.Equals(p.Name, name, comparison)))
            return null; // a field the type has, with a value of the wrong form
        return new UnknownFieldException("field", parent.ToString(), name, info.Properties.Select(p => p.Name).ToList());
    }

    private readonly record struct Segment(string? Name, int Index);

    /// <summary>System.Text.Json's paths: <c>$.name</c>, <c>$['odd name']</c>, <c>$.list[3]</c>; null for anything else.</summary>
    private static List<Segment>? Parse(string path)
    {
        if (!path.StartsWith('$')) return null;
        var segments = new List<Segment>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                segments.Add(new Segment(path[(i + 1)..end], 0));
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                segments.Add(new Segment(path[(i + 2)..end], 0));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index)) return null;
                segments.Add(new Segment(null, index));
                i = end + 1;
            }
            else return null;
        }
        return segments;
    }
}
