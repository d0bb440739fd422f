using System.Text.Encodings.Web;
using System.Text.Json;

namespace Broadcast.Core.Uploads;

/// <summary>How uploads store JSON (the error log, the summary's lists): snake_case like the API, text unescaped.</summary>
internal static class UploadJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
