using Broadcast.Core;
using Broadcast.Core.Messaging;
using Broadcast.Core.Templates;
using Broadcast.Core.Uploads;
using Broadcast.Core.Workflow;

namespace Broadcast.Functions.Apis;

/// <summary>What a send's <c>template</c> (a registered name) and <c>fallback</c> make of it: each provider's content
/// (its variant), the variables checked against every variant and put in the primary's order, the fallback routes.
/// A wrong variable is a 400 naming its field, a provider without a variant a 400 naming it, an upload lacking a
/// template's columns a 422 naming them.</summary>
internal static class SendPlanning
{
    public static async Task<NewBroadcast> PlanAsync(NewBroadcast broadcast, TemplateRequest? template, IReadOnlyList<string?>? fallback,
        TemplateRegistry registry, IUploadCatalog? uploads, CancellationToken ct)
    {
        var providers = Fallback(fallback, broadcast.Provider);
        if (template?.Registered is not { } name)
            return providers.Count == 0 ? broadcast : broadcast with { Fallback = [.. providers.Select(p => new FallbackRoute(p, broadcast.Content))] };

        if (broadcast.Content.Text is not null || broadcast.Content.Event is not null)
            throw new IntakeException("template", "Give either 'template' or 'text'/'event', not both.");
        if (!TemplateNames.IsValid(name)) throw new IntakeException("template", $"'{name}' is not a template name: 1 to {TemplateNames.MaxLength} letters, digits, '_', '-' and '.'.");
        var registered = await registry.GetAsync(name, ct)
            ?? throw new IntakeException("template", $"No template is named '{name}': register it with POST /api/templates.", Refusal.Unprocessable);
        var primary = TemplateUse.Variant(registered, broadcast.Provider, "template");
        var others = providers.Select(p => (Provider: p, Variant: registered.VariantFor(p)
            ?? throw new IntakeException("fallback", $"Template '{registered.Name}' has no {p.Name()} variant, so fallback {p.Name()} cannot send it."))).ToList();

        var recipients = broadcast.Recipients;
        var names = broadcast.VariableNames;
        var routeNames = new IReadOnlyList<string>?[others.Count];
        if (recipients is not null)
        {
            var arranged = new List<Recipient>(recipients.Count);
            IReadOnlyList<string>? primaryNames = null;
            for (var i = 0; i < recipients.Count; i++)
            {
                var field = broadcast.SingleMessage ? "variables" : $"recipients[{i}].variables";
                var r = recipients[i];
                var (values, keys) = TemplateUse.Arrange(registered, primary, r.Variables, names, field);
                primaryNames ??= keys;
                for (var k = 0; k < others.Count; k++)
                {
                    var (_, otherNames) = TemplateUse.Arrange(registered, others[k].Variant, values, keys, field);
                    if (keys.Count == 0 && otherNames.Count > 0) routeNames[k] = otherNames;
                }
                arranged.Add(r with { Variables = values });
            }
            recipients = arranged;
            names = primaryNames ?? names;
        }
        else if (broadcast.UploadId is not null && uploads is not null && await uploads.GetAsync(broadcast.UploadId, ct) is { } upload)
        {
            foreach (var (provider, variant) in new[] { (broadcast.Provider, primary) }.Concat(others))
            {
                var missing = TemplateUse.MissingColumns(variant, upload.VariableNames);
                if (missing.Count > 0)
                    throw new IntakeException("upload_id",
                        $"The upload lacks the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} that template '{registered.Name}' takes on {provider.Name()} (its variable columns: {(upload.VariableNames.Count == 0 ? "none" : string.Join(", ", upload.VariableNames))}).",
                        Refusal.Unprocessable) { Columns = missing };
            }
        }

        return broadcast with
        {
            Content = primary.Content(),
            Recipients = recipients,
            VariableNames = names,
            TemplateName = registered.Name,
            Fallback = others.Count == 0 ? null : [.. others.Select((o, k) => new FallbackRoute(o.Provider, o.Variant.Content(), routeNames[k]))],
        };
    }

    /// <summary>The check the rows of an upload for <paramref name="planned"/> take: the variables of its registered
    /// template's variant for its provider (none for the object form).</summary>
    public static async Task<TemplateHint?> RowHintAsync(NewBroadcast planned, TemplateRegistry registry, CancellationToken ct) =>
        planned.TemplateName is { } name && await registry.GetAsync(name, ct) is { } registered && registered.VariantFor(planned.Provider) is { } variant
            ? TemplateUse.Hint(variant)
            : null;

    /// <summary>The fallback list: providers after the broadcast's own, each once.</summary>
    public static IReadOnlyList<Provider> Fallback(IReadOnlyList<string?>? fallback, Provider primary)
    {
        if (fallback is null) return [];
        var list = new List<Provider>();
        for (var i = 0; i < fallback.Count; i++)
        {
            var field = $"fallback[{i}]";
            if (!Providers.TryParse(fallback[i], out var p))
                throw new IntakeException(field, $"'{fallback[i]}' is not a provider: {string.Join(", ", Providers.Names)}.");
            if (p == primary) throw new IntakeException(field, $"{p.Name()} is the provider itself: the fallback lists the providers to try after it.");
            if (list.Contains(p)) throw new IntakeException(field, $"{p.Name()} is listed twice.");
            list.Add(p);
        }
        return list;
    }
}
