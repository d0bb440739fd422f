using System.Text.Json.Serialization;

namespace Broadcast.Core.Vendors.Qiscus;

/// <summary>The body of Qiscus's send-broadcast call: the uploaded recipient file sent with one template.</summary>
public sealed record QiscusBroadcastBody(
    [property: JsonPropertyName("template_detail_id")] long TemplateDetailId,
    [property: JsonPropertyName("broadcast_file_id")] long BroadcastFileId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("separator")] string Separator);
