using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Sandbox.Khoros;
using Broadcast.Sandbox.Omnichat;
using Broadcast.Sandbox.Qiscus;

namespace Broadcast.Sandbox.Hosting;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(VendorBehavior))]
[JsonSerializable(typeof(IReadOnlyList<RecordedRequest>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, int>))]
[JsonSerializable(typeof(Dictionary<string, VendorStats>))]
[JsonSerializable(typeof(Dictionary<string, VendorBehavior>))]
[JsonSerializable(typeof(ControlMessage))]
[JsonSerializable(typeof(MultipartRecord))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyDictionary<string, string>>))]
[JsonSerializable(typeof(QiscusError))]
[JsonSerializable(typeof(QiscusClientResponse))]
[JsonSerializable(typeof(QiscusUploadResponse))]
[JsonSerializable(typeof(QiscusSendResponse))]
[JsonSerializable(typeof(KhorosError))]
[JsonSerializable(typeof(KhorosAccepted))]
[JsonSerializable(typeof(OmnichatResponse))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;

internal static class SandboxJson
{
    /// <summary>snake_case, unknown members rejected, non-ASCII kept readable (Indonesian texts, '+' in phones).</summary>
    public static SandboxJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>Strict parsing: no comments, no trailing commas, no duplicate properties.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };
}

internal sealed record ControlMessage(string Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null);

internal sealed record MultipartRecord(Dictionary<string, string> Fields, Dictionary<string, string> Files);
