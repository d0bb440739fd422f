using System.Text.Json.Nodes;

namespace Broadcast.Functions.Hosting;

/// <summary>Under the Functions host: refuses to start when the function.json files of the function app (the
/// working directory, where host.json is) are not the ones this app, as configured, would write. A queue or
/// container name that differs (e.g. <c>Storage__NamePrefix</c> set after publishing) would otherwise leave work
/// items waiting on a queue no function listens to.</summary>
public static class FunctionManifestCheck
{
    public static void ThrowIfFunctionAppDiffers(WebApplication app, string root)
    {
        if (!File.Exists(Path.Combine(root, "host.json"))) return;
        var problems = Differences(root, FunctionManifest.For(app));
        if (problems.Count > 0)
            throw new InvalidOperationException("The function app's function.json files do not match this app; publish again with the same settings: "
                + string.Join("; ", problems));
    }

    public static IReadOnlyList<string> Differences(string root, IReadOnlyList<FunctionDefinition> expected)
    {
        var problems = new List<string>();
        var onDisk = Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .ToDictionary(d => new DirectoryInfo(d).Name, d => Path.Combine(d, "function.json"), StringComparer.OrdinalIgnoreCase);
        foreach (var function in expected)
        {
            if (!onDisk.Remove(function.Name, out var path)) problems.Add($"{function.Name} is missing");
            else if (!JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), function.FunctionJson)) problems.Add($"{function.Name} differs");
        }
        problems.AddRange(onDisk.Keys.Order(StringComparer.Ordinal).Select(name => $"{name} is not a function of this app"));
        return problems;
    }
}
