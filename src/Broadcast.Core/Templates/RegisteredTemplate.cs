using Broadcast.Core.Messaging;

namespace Broadcast.Core.Templates;

/// <summary>A template by its name, with the variant each vendor sends and the text previews show.</summary>
/// <param name="Body">The text shown in previews, with <c>{{n}}</c> or <c>{name}</c> placeholders.</param>
public sealed record RegisteredTemplate(
    string Name,
    string? Body,
    IReadOnlyDictionary<Provider, TemplateVariant> Variants,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public TemplateVariant? VariantFor(Provider provider) => Variants.GetValueOrDefault(provider);
}
