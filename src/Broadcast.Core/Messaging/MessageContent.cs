namespace Broadcast.Core.Messaging;

/// <summary>What is sent: a text, a Khoros event, or a template. Per-recipient variables live on the recipient.</summary>
public sealed record MessageContent(string? Text, string? Event, TemplateSpec? Template);

public sealed record TemplateSpec(
    string? Name,
    string? Id,
    string? Namespace,
    string? Language,
    IReadOnlyList<TemplateButton>? Buttons);

/// <summary>A Qiscus button parameter: <c>{"type": "url", "values": "coba", "index": 0}</c>.</summary>
public sealed record TemplateButton(string Type, string Values, int Index);

/// <summary>Which vendor channel sends it; unset fields fall back to the configured defaults.</summary>
public sealed record ChannelSpec(long? ChannelId = null, string? ChannelName = null, string? ExternalId = null, string? DeviceKey = null);

/// <summary>One recipient's row: the number (normalised digits, or an Omnichat group id), the name and its
/// own variables. Qiscus layouts also carry a header variable and button variables.</summary>
public sealed record Recipient(
    int Row,
    string Phone,
    string? Name,
    IReadOnlyList<string> Variables,
    string? HeaderVariable = null,
    string? ButtonType = null,
    IReadOnlyList<IReadOnlyList<string>>? ButtonVariables = null);

public enum DeliveryGuarantee
{
    AtLeastOnce,
    AtMostOnce,
}
