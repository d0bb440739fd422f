using Broadcast.Core.Messaging;

namespace Broadcast.Core.Templates;

/// <summary>What one vendor's send of a registered template needs. Qiscus: <c>Id</c> (template_detail_id),
/// <c>Name</c>, <c>Namespace</c>, <c>Language</c>, a count of positional <c>Variables</c> and <c>Buttons</c>;
/// Omnichat: <c>Id</c> (the template's UUID) and its <c>VariableNames</c>; Khoros: an <c>Event</c> or a <c>Text</c>.</summary>
/// <param name="VariableCount">Positional variables the template takes (Qiscus's body_variable1..N).</param>
/// <param name="VariableNames">Named variables, in order, as the vendor spells them ("{name}").</param>
public sealed record TemplateVariant(
    string? Id = null,
    string? Name = null,
    string? Namespace = null,
    string? Language = null,
    int? VariableCount = null,
    IReadOnlyList<string>? VariableNames = null,
    IReadOnlyList<TemplateButton>? Buttons = null,
    string? Event = null,
    string? Text = null)
{
    /// <summary>How many values a send of it needs.</summary>
    public int Variables => VariableNames?.Count ?? VariableCount ?? 0;

    public bool IsNamed => VariableNames is { Count: > 0 };

    /// <summary>The content a send of this variant carries.</summary>
    public MessageContent Content() =>
        Event is not null || Text is not null
            ? new MessageContent(Text, Event, null)
            : new MessageContent(null, null, new TemplateSpec(Name, Id, Namespace, Language, Buttons is { Count: > 0 } ? Buttons : null));
}
