using System.Text.Json;
using System.Text.Json.Serialization;
using Broadcast.Core.Messaging;
using Broadcast.Core.Storage;
using Broadcast.Core.Workflow;

namespace Broadcast.Core.Templates;

/// <summary>Registered templates in table <c>Templates</c>: one partition, one row per name in lower case (names are
/// unique without regard to case), the name as given and the template as JSON.</summary>
public sealed class TemplateRegistry(IStorage storage, StorageNames names, TimeProvider time)
{
    private const string Partition = "template";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Stored(string? Body, Dictionary<Provider, TemplateVariant> Variants);

    private string Table => names.TemplatesTable;

    /// <summary>Registers a new template; a name taken (in any case) is a 409.</summary>
    public async Task<RegisteredTemplate> CreateAsync(string name, string? body, IReadOnlyDictionary<Provider, TemplateVariant> variants, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var template = new RegisteredTemplate(TemplateNames.Check(name), body, variants, now, now);
        try
        {
            await storage.Tables.InsertAsync(Table, ToRow(template), ct);
        }
        catch (StorageConflictException)
        {
            var existing = await GetAsync(name, ct);
            throw new IntakeException("name", $"A template named '{existing?.Name ?? name}' exists (names are unique without regard to case).", Refusal.Conflict);
        }
        return template;
    }

    /// <summary>Replaces a template's body and variants (its name keeps its spelling); null when there is none.</summary>
    public async Task<RegisteredTemplate?> ReplaceAsync(string name, string? body, IReadOnlyDictionary<Provider, TemplateVariant> variants, CancellationToken ct)
    {
        while (true)
        {
            var row = TemplateNames.IsValid(name) ? await storage.Tables.GetAsync(Table, Partition, TemplateNames.Key(name), ct) : null;
            if (row is null) return null;
            var existing = FromRow(row);
            var template = existing with { Body = body, Variants = variants, UpdatedAt = time.GetUtcNow() };
            var replacement = ToRow(template);
            replacement.ETag = row.ETag;
            try
            {
                await storage.Tables.ReplaceAsync(Table, replacement, ct);
                return template;
            }
            catch (StoragePreconditionFailedException)
            {
                // changed in between: apply this change on top of the newer one
            }
        }
    }

    public async Task<RegisteredTemplate?> GetAsync(string name, CancellationToken ct) =>
        TemplateNames.IsValid(name) && await storage.Tables.GetAsync(Table, Partition, TemplateNames.Key(name), ct) is { } row ? FromRow(row) : null;

    public async Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        if (await GetAsync(name, ct) is null) return false;
        await storage.Tables.DeleteAsync(Table, Partition, TemplateNames.Key(name), ct);
        return true;
    }

    /// <summary>Templates in name order (without regard to case), a page at a time.</summary>
    public async Task<(IReadOnlyList<RegisteredTemplate> Items, string? Continuation)> ListAsync(int take, string? continuation, CancellationToken ct)
    {
        var page = await storage.Tables.QueryAsync(Table, Partition, null, take, continuation, ct);
        return (page.Rows.Select(FromRow).ToList(), page.Continuation);
    }

    private static TableRow ToRow(RegisteredTemplate t) => new(Partition, TemplateNames.Key(t.Name))
    {
        ["Name"] = t.Name,
        ["Template"] = JsonSerializer.Serialize(new Stored(t.Body, new Dictionary<Provider, TemplateVariant>(t.Variants)), Json),
        ["CreatedAt"] = t.CreatedAt,
        ["UpdatedAt"] = t.UpdatedAt,
    };

    private static RegisteredTemplate FromRow(TableRow row)
    {
        var stored = JsonSerializer.Deserialize<Stored>(row.GetString("Template") ?? "{}", Json) ?? new Stored(null, []);
        return new RegisteredTemplate(row.GetString("Name") ?? row.RowKey, stored.Body, stored.Variants ?? [],
            row.GetDate("CreatedAt") ?? DateTimeOffset.MinValue, row.GetDate("UpdatedAt") ?? row.GetDate("CreatedAt") ?? DateTimeOffset.MinValue);
    }
}
