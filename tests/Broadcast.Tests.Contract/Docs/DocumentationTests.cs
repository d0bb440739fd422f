using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Broadcast.Core.Campaigns;
using Broadcast.Core.Messaging;
using Broadcast.Core.Pacing;
using Broadcast.Core.Uploads;
using Broadcast.Core.Vendors;
using Broadcast.Core.Vendors.Khoros;
using Broadcast.Core.Vendors.Omnichat;
using Broadcast.Core.Vendors.Qiscus;
using Broadcast.Core.Workflow;
using Broadcast.Functions.Drops;
using Broadcast.Functions.Http;
using Broadcast.Storage;
using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Contract.Docs;

/// <summary>The README and docs/ against the repository: the README stays a newcomer's page, its settings table
/// names every setting the app binds, every link leads somewhere, and every benchmark command documented parses.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

    private static IEnumerable<string> MarkdownFiles() =>
        [Path.Combine(RepoPaths.Root, "README.md"), Path.Combine(RepoPaths.Root, "samples", "README.md"),
            .. Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md", SearchOption.AllDirectories)];

    [Fact]
    public void The_readme_is_at_most_300_lines_with_the_sections_a_newcomer_looks_for()
    {
        var lines = Readme.Split('\n');
        Assert.True(lines.Length <= 300, $"README.md has {lines.Length} lines");
        var headings = lines.Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        foreach (var section in new[] { "## Two commands", "## Quick start", "## API", "## Settings", "## Limits", "## Where to read more" })
            Assert.Contains(headings, h => h.StartsWith(section, StringComparison.Ordinal));
        Assert.Contains("`bash scripts/run.sh`", Readme);
        Assert.Contains("`bash scripts/test.sh`", Readme);
    }

    /// <summary>Every settings section the app binds, with the class it binds to; a vendor's section also takes
    /// the settings every vendor has, written <c>Vendors__{Vendor}__</c> in the table.</summary>
    public static TheoryData<string, Type> BoundSections => new()
    {
        { "Api", typeof(ApiOptions) },
        { "Messaging", typeof(MessagingOptions) },
        { "Uploads", typeof(UploadOptions) },
        { "Workflow", typeof(WorkflowOptions) },
        { "Pacing", typeof(PacingOptions) },
        { "Drops", typeof(DropOptions) },
        { "Notifications", typeof(NotificationOptions) },
        { "Storage", typeof(StorageClientSettings) },
        { "Vendors__Qiscus", typeof(QiscusOptions) },
        { "Vendors__Khoros", typeof(KhorosOptions) },
        { "Vendors__Omnichat", typeof(OmnichatOptions) },
    };

    [Theory]
    [MemberData(nameof(BoundSections))]
    public void The_readme_settings_table_names_every_setting_of_a_section(string section, Type options)
    {
        var settingsTable = Readme[Readme.IndexOf("## Settings", StringComparison.Ordinal)..];
        settingsTable = settingsTable[..settingsTable.IndexOf("\n## ", StringComparison.Ordinal)];
        var names = settingsTable.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Select(l => l.Split(" | ")[0]).ToList();
        var properties = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true);

        var missing = properties.Select(p => p.Name).Where(property => !names.Any(cell =>
                cell.Contains($"`{section}__{property}`", StringComparison.Ordinal)
                || (cell.Contains($"`{section}__", StringComparison.Ordinal) && cell.Contains($"`__{property}`", StringComparison.Ordinal))
                || (section.StartsWith("Vendors__", StringComparison.Ordinal) && typeof(VendorOptions).GetProperty(property) is not null
                    && cell.Contains($"`Vendors__{{Vendor}}__{property}`", StringComparison.Ordinal))))
            .ToList();
        Assert.True(missing.Count == 0, $"README.md's settings table lacks {string.Join(", ", missing.Select(m => $"{section}__{m}"))}");
    }

    [GeneratedRegex(@"\]\((?<target>[^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex Link();

    [Fact]
    public void Every_relative_link_in_the_readme_and_docs_leads_to_a_file_of_the_repository()
    {
        var broken = MarkdownFiles()
            .SelectMany(file => Link().Matches(File.ReadAllText(file))
                .Select(m => m.Groups["target"].Value)
                .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
                .Where(target => !File.Exists(Path.Combine(Path.GetDirectoryName(file)!, target)) && !Directory.Exists(Path.Combine(Path.GetDirectoryName(file)!, target)))
                .Select(target => $"{Path.GetRelativePath(RepoPaths.Root, file)}: {target}"))
            .ToList();
        Assert.Empty(broken);
    }

    [GeneratedRegex(@"dotnet run --project tests/Broadcast\.Benchmarks -c Release -- (?<args>[^\n#]+)")]
    private static partial Regex BenchmarkCommand();

    [Fact]
    public async Task Every_documented_benchmark_command_parses()
    {
        var commands = MarkdownFiles().SelectMany(file => BenchmarkCommand().Matches(File.ReadAllText(file)).Select(m => m.Groups["args"].Value.Trim()))
            .Distinct().ToList();
        Assert.True(commands.Count >= 10, $"found {commands.Count} benchmark commands in the README and docs/");
        var benchmarks = typeof(DocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BenchmarksAssembly").Value!;

        foreach (var command in commands.Where(c => !c.Contains("--help", StringComparison.Ordinal)))
        {
            var (exitCode, output) = await RunAsync(benchmarks, ["[diagram]", .. command.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
            Assert.True(exitCode == 0, $"'{command}' does not parse: {output}");
        }
        var (helpExit, help) = await RunAsync(benchmarks, ["--help"]);
        Assert.Equal(0, helpExit);
        foreach (var benchmark in new[] { "uploads", "latency", "load", "broadcast" }) Assert.Contains(benchmark, help);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string assembly, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await error);
    }
}
