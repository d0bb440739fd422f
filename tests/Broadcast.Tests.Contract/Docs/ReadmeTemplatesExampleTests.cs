using System.Text.Json;
using System.Text.RegularExpressions;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.Docs;

/// <summary>The README's templates-and-failover example run as written: each curl command, with only the hosts (and the
/// broadcast's <c>&lt;id&gt;</c>) put in, against the app and the vendor sandbox; every <c>"key": value</c> its
/// <c># →</c> comment promises is in the answer.</summary>
public sealed partial class ReadmeTemplatesExampleTests
{
    private const string Section = "## Templates by name, and failover";

    [GeneratedRegex("\"(?<key>[a-z_]+)\": (?<value>\"[^\"]*\"|\\d+)")]
    private static partial Regex Promise();

    /// <summary>The commands of the section's first bash block, each with what its comment promises (or null).</summary>
    private static List<(string Command, string? Promised)> Commands()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var section = readme[readme.IndexOf(Section, StringComparison.Ordinal)..];
        var block = section[(section.IndexOf("```bash\n", StringComparison.Ordinal) + 8)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];

        var commands = new List<(string, string?)>();
        var current = "";
        foreach (var line in block.Split('\n'))
        {
            current += (current.Length == 0 ? "" : "\n") + line;
            if (current.Count(c => c == '\'') % 2 != 0) continue; // inside a quoted body
            var command = current.Trim();
            current = "";
            if (command.Length == 0 || command.StartsWith('#')) continue;
            var comment = command.IndexOf("   # → ", StringComparison.Ordinal);
            commands.Add(comment < 0 ? (command, null) : (command[..comment].Trim(), command[(comment + 7)..].Trim()));
        }
        return commands;
    }

    [Fact]
    public async Task The_readmes_templates_and_failover_example_does_what_its_comments_say()
    {
        var commands = Commands();
        Assert.True(commands.Count >= 6, $"found {commands.Count} commands");
        await using var stack = await Stack.StartAsync();
        var curlHome = Directory.CreateTempSubdirectory("curlrc");
        try
        {
            // The run command's app needs no key; this one does, so curl sends it without changing the commands.
            await File.WriteAllTextAsync(Path.Combine(curlHome.FullName, ".curlrc"), $"header = \"x-functions-key: {TestApp.ApiKey}\"\n");
            var environment = new Dictionary<string, string> { ["CURL_HOME"] = curlHome.FullName };
            string? id = null;
            foreach (var (command, promised) in commands)
            {
                var runnable = command
                    .Replace("http://localhost:7071/", stack.App.BaseUrl.ToString(), StringComparison.Ordinal)
                    .Replace("http://127.0.0.1:7080/", stack.Sandbox.BaseUrl.ToString().TrimEnd('/') + "/", StringComparison.Ordinal);
                if (runnable.Contains("<id>", StringComparison.Ordinal))
                {
                    Assert.NotNull(id);
                    runnable = runnable.Replace("<id>", id, StringComparison.Ordinal);
                }
                var output = await ChildProcess.RunAsync("bash", RepoPaths.Root, ["-c", "curl -f " + runnable["curl ".Length..]], TimeSpan.FromSeconds(30), environment);
                var answer = JsonDocument.Parse(output).RootElement;
                if (command.Contains("-X POST http://localhost:7071/api/broadcasts", StringComparison.Ordinal))
                {
                    id = answer.Str("id");
                    // A reader runs the next command when the broadcast is done; the test waits for that too.
                    await Poll.UntilAsync(async () => (await stack.App.GetJsonAsync($"api/broadcasts/{id}")).Str("status"), s => s == "completed",
                        TimeSpan.FromSeconds(30), $"broadcast {id} to complete");
                }
                foreach (Match m in Promise().Matches(promised ?? ""))
                {
                    var (key, value) = (m.Groups["key"].Value, JsonDocument.Parse(m.Groups["value"].Value).RootElement);
                    Assert.True(Holds(answer, key, value), $"{command}\npromised {m.Value}, answered {output}");
                }
            }
        }
        finally
        {
            curlHome.Delete(recursive: true);
        }
    }

    /// <summary>Whether the answer, at any depth (a string holding JSON, such as a recorded request body, included),
    /// has <paramref name="key"/> with that value.</summary>
    private static bool Holds(JsonElement e, string key, JsonElement value) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Any(p => (p.Name == key && JsonElement.DeepEquals(p.Value, value)) || Holds(p.Value, key, value)),
        JsonValueKind.Array => e.EnumerateArray().Any(i => Holds(i, key, value)),
        JsonValueKind.String when e.GetString() is { } s && s.StartsWith('{') => TryParse(s) is { } inner && Holds(inner, key, value),
        _ => false,
    };

    private static JsonElement? TryParse(string json)
    {
        try
        {
            return JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
