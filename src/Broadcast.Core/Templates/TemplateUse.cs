using Broadcast.Core.Messaging;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Templates;

/// <summary>A registered template used by a send: the variant of the provider, and the variables checked against it.</summary>
public static class TemplateUse
{
    /// <summary>The variant <paramref name="provider"/> sends, or a 400 naming <paramref name="field"/>.</summary>
    public static TemplateVariant Variant(RegisteredTemplate template, Provider provider, string field) =>
        template.VariantFor(provider) ?? throw new IntakeException(field,
            $"Template '{template.Name}' has no {provider.Name()} variant (it has: {string.Join(", ", template.Variants.Keys.Select(p => p.Name()))}).");

    /// <summary>Whether the variant says how many variables it takes (a count or names); Khoros texts and events need not.</summary>
    public static bool Declares(TemplateVariant v) => v.VariableNames is not null || v.VariableCount is not null;

    /// <summary>One recipient's values checked against the variant and put in its order: positional values must be as
    /// many as it takes; named ones must be exactly its names (with or without braces, any case). Answers the values in
    /// the variant's order and the names they go by (the variant's, or none for positional). A mismatch is a 400 naming
    /// <paramref name="field"/>.</summary>
    public static (IReadOnlyList<string> Values, IReadOnlyList<string> Names) Arrange(
        RegisteredTemplate template, TemplateVariant variant, IReadOnlyList<string> values, IReadOnlyList<string> names, string field)
    {
        if (!Declares(variant)) return (values, names);
        if (variant.VariableNames is { Count: > 0 } wanted)
        {
            if (names.Count == 0)
            {
                if (values.Count != wanted.Count) throw Count(template, wanted.Count, values.Count, field, string.Join(", ", wanted));
                return (values, wanted);
            }
            var given = names.Select(TemplateHint.BareName).ToList();
            var missing = wanted.Where(w => !given.Contains(TemplateHint.BareName(w), StringComparer.OrdinalIgnoreCase)).ToList();
            var extra = names.Where(n => !wanted.Any(w => string.Equals(TemplateHint.BareName(w), TemplateHint.BareName(n), StringComparison.OrdinalIgnoreCase))).ToList();
            if (missing.Count > 0)
                throw new IntakeException(field, $"Template '{template.Name}' takes {string.Join(", ", wanted)}: {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing.");
            if (extra.Count > 0)
                throw new IntakeException(field, $"Template '{template.Name}' takes {string.Join(", ", wanted)}: {string.Join(", ", extra)} {(extra.Count == 1 ? "is not one of them" : "are not among them")}.");
            var ordered = wanted.Select(w => values[given.FindIndex(g => string.Equals(g, TemplateHint.BareName(w), StringComparison.OrdinalIgnoreCase))]).ToList();
            return (ordered, wanted);
        }
        var expected = variant.Variables;
        if (values.Count != expected) throw Count(template, expected, values.Count, field, null);
        return (values, names);
    }

    private static IntakeException Count(RegisteredTemplate template, int expected, int got, string field, string? listed) =>
        new(field, $"Template '{template.Name}' takes {expected} variable{(expected == 1 ? "" : "s")}{(listed is null ? "" : $" ({listed})")}; {got} {(got == 1 ? "was" : "were")} given.");

    /// <summary>What an upload must have for the variant: the columns it lacks (none when it suits).</summary>
    public static IReadOnlyList<string> MissingColumns(TemplateVariant variant, IReadOnlyList<string> uploadVariables)
    {
        if (!Declares(variant)) return [];
        if (variant.VariableNames is { Count: > 0 } wanted)
        {
            var inFile = uploadVariables.Select(TemplateHint.BareName).ToList();
            return wanted.Where(w => !inFile.Contains(TemplateHint.BareName(w), StringComparer.OrdinalIgnoreCase)).ToList();
        }
        return Enumerable.Range(uploadVariables.Count + 1, Math.Max(0, variant.Variables - uploadVariables.Count))
            .Select(k => $"body_variable{k}").ToList();
    }

    /// <summary>The upload hint a variant stands for: its count or its names.</summary>
    public static TemplateHint? Hint(TemplateVariant variant) =>
        !Declares(variant) ? null
        : variant.VariableNames is { Count: > 0 } names ? new TemplateHint(null, names.Select(TemplateHint.BareName).ToList())
        : new TemplateHint(variant.Variables, null);

    /// <summary>The preview text of <paramref name="template"/>'s body with these values (positional <c>{{n}}</c>, or
    /// named <c>{name}</c>; positional values also fill the names of <paramref name="variant"/> in order).</summary>
    public static string Preview(string body, IReadOnlyList<string> values, IReadOnlyList<string> names, TemplateVariant? variant = null, string? recipientName = null)
    {
        if (names.Count == 0 && variant?.VariableNames is { Count: > 0 } variantNames) names = variantNames;
        return MessageText.Render(body, new Recipient(0, "", recipientName, values), names);
    }
}
