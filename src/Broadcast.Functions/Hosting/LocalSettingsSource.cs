using System.Text.Json;

namespace Broadcast.Functions.Hosting;

/// <summary>Reads the "Values" of local.settings.json (the Azure Functions convention) as configuration,
/// with the standard <c>__</c> nesting. Environment variables and the command line override it.</summary>
internal sealed class LocalSettingsSource(string directory) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(Path.Combine(directory, "local.settings.json"));

    private sealed class Provider(string path) : ConfigurationProvider
    {
        public override void Load()
        {
            if (!File.Exists(path)) return;
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!doc.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object) return;
            foreach (var p in values.EnumerateObject())
                Data[p.Name.Replace("__", ConfigurationPath.KeyDelimiter)] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        }
    }
}
