using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Broadcast.Core.Vendors;

/// <summary>How request bodies go to the vendors: the record's own field names, text as it is (no \u escapes of
/// non-ASCII or HTML characters, which some vendors show literally), unset optional fields left out.</summary>
public static class VendorJson
{
    /// <summary>Options for a vendor's source-generated context: <c>new OmnichatJson(VendorJson.Options())</c>.</summary>
    public static JsonSerializerOptions Options() => new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
