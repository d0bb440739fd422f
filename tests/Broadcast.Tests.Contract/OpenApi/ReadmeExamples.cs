using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.OpenApi;

/// <summary>The request bodies the README (and docs/) show in their curl examples, with the path each is sent to.</summary>
public static partial class ReadmeExamples
{
    public sealed record Example(string Source, string Path, JsonObject Body);

    [GeneratedRegex(@"curl [^\n]*?-X POST '?http://localhost:7071(?<path>/api/[a-z/<>]+)[^\n]*?-d '(?<body>\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex JsonPost();

    public static IReadOnlyList<Example> All()
    {
        var files = new[] { Path.Combine(RepoPaths.Root, "README.md") }
            .Concat(Directory.Exists(Path.Combine(RepoPaths.Root, "docs")) ? Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md", SearchOption.AllDirectories) : []);
        return files.SelectMany(file => JsonPost().Matches(File.ReadAllText(file))
                .Select(m => new Example($"{Path.GetFileName(file)}: POST {m.Groups["path"].Value}", m.Groups["path"].Value.TrimEnd('/'),
                    JsonNode.Parse(m.Groups["body"].Value)!.AsObject())))
            .Where(e => BodySchema(e.Path) is not null)
            .ToList();
    }

    /// <summary>The schema a path's JSON body has; null for bodies the API does not describe (vendor callbacks).</summary>
    public static string? BodySchema(string path) => path switch
    {
        "/api/messages" => "SendMessageRequest",
        "/api/broadcasts" => "CreateBroadcastRequest",
        "/api/suppressions" => "AddSuppressionRequest",
        _ when path.StartsWith("/api/broadcasts/", StringComparison.Ordinal) && path.EndsWith("/resend", StringComparison.Ordinal) => "ResendBroadcastRequest",
        _ => null,
    };
}
