using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Broadcast.Benchmarks.Broadcasts;
using Broadcast.Benchmarks.Load;
using Broadcast.Benchmarks.Uploads;

namespace Broadcast.Benchmarks;

/// <summary>The benchmarks' command line: one command per benchmark, each option with its default, and <c>--help</c>
/// at every level. Before a benchmark runs, the npm tools (Azurite) are installed as the run and test scripts install
/// them, so that a fresh clone needs nothing by hand.</summary>
public static class BenchmarkCommands
{
    public const string Usage = "dotnet run --project tests/Broadcast.Benchmarks -c Release -- <benchmark> [options]";

    public static RootCommand Create()
    {
        var root = new RootCommand($"The product's benchmarks: each starts its own Azurite (on disk), vendor sandbox and app.\n{Usage}")
        {
            Uploads(),
            Latency(),
            Load(),
            Broadcast(),
        };
        // `[diagram] <benchmark> [options]` shows how a command line parses without running anything: the contract
        // tests check the documented commands with it.
        root.Add(new DiagramDirective());
        return root;
    }

    private static Command Uploads()
    {
        var rows = new Option<int>("--rows")
        {
            Description = "Rows in the generated Qiscus-layout CSV (1_000_000 is read as 1000000)",
            DefaultValueFactory = _ => 100_000,
            CustomParser = PositiveRows,
        };
        var command = new Command("uploads", "POST /api/uploads of one generated CSV: elapsed time and peak memory of the process") { rows };
        command.SetAction((parse, _) => RunAsync(() => UploadBenchmark.RunAsync(parse.GetValue(rows))));
        return command;
    }

    private static Command Latency()
    {
        var messages = Number("--messages", "Messages measured, one at a time", 200);
        var warmup = Number("--warmup", "Messages sent first and not measured", 20);
        var noFastPath = Flag("--no-fast-path", "Send every message through the queues (Workflow:FastPath=false)");
        var command = new Command("latency", "Single messages one at a time: p50/p90/p99 of accept, of reaching the vendor, and of ?wait=")
        {
            messages, warmup, noFastPath,
        };
        command.SetAction((parse, _) => RunAsync(() => LatencyBenchmark.RunAsync(new LatencyBenchmark.Settings(
            parse.GetValue(messages), parse.GetValue(warmup), parse.GetValue(noFastPath)))));
        return command;
    }

    private static Command Load()
    {
        var concurrency = Number("--concurrency", "Callers sending POST /api/messages at once", 200);
        var requests = Number("--requests", "Messages sent in all", 1000);
        var uploads = Number("--uploads", "Callers uploading a CSV at the same time (0: none)", 0);
        var uploadRows = Number("--upload-rows", "Rows of each uploaded CSV", 1000);
        var warmup = Number("--warmup", "Messages (and up to 4 uploads) sent first and not measured", 200);
        var inMemory = Flag("--in-memory", "Azurite in memory instead of on disk (what the emulator's disk writes cost)");
        var command = new Command("load", "The app as its own process under concurrent sends (and uploads): accept and health latencies, threads")
        {
            concurrency, requests, uploads, uploadRows, warmup, inMemory,
        };
        command.SetAction((parse, _) => RunAsync(() => LoadBenchmark.RunAsync(new LoadBenchmark.Settings(
            parse.GetValue(concurrency), parse.GetValue(requests), parse.GetValue(uploads), parse.GetValue(uploadRows),
            parse.GetValue(warmup), parse.GetValue(inMemory)))));
        return command;
    }

    /// <summary>One command for both broadcast benchmarks, as before: with <c>--instances N</c> the cluster one, whose
    /// defaults differ (a paced channel shared by N processes).</summary>
    private static Command Broadcast()
    {
        var instances = new Option<int?>("--instances")
        {
            Description = "Run N app processes on one Azurite against a rate-limited sandbox (the cluster benchmark)",
            Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--instances takes 1 or more."); } },
        };
        var recipients = Optional("--recipients", "Recipients of the broadcast [default: 100000; 4000 with --instances]");
        var latency = Number("--latency-ms", "The sandbox's answer latency in milliseconds", 0);
        var rate = Optional("--rate", "The app's pace in sends per second [default: 0, unlimited; 80 with --instances]");
        var vendorLimit = Optional("--vendor-limit", "The sandbox's limit in sends per second, 429 above it [default: 0, none; the rate + 10 % with --instances]");
        var concurrency = Optional("--concurrency", "Vendor calls in flight for the channel [default: 64; 32 with --instances, for the whole channel]");
        var skipBare = Flag("--skip-bare", "Skip the bare loop of sends straight to the sandbox (the ceiling)");
        var telemetry = Flag("--telemetry", "Telemetry on, exported to the in-process local view");
        var unexported = Flag("--unexported", "With --telemetry: spans and metrics produced but not exported");
        var killOne = Flag("--kill-one", "With --instances: kill the last instance at 40 % and time the take-over");
        var command = new Command("broadcast", "One broadcast end to end (upload, workflow, Azurite, vendor adapter) against a bare loop; or, with --instances, across processes")
        {
            instances, recipients, latency, rate, vendorLimit, concurrency, skipBare, telemetry, unexported, killOne,
        };
        command.SetAction((parse, _) =>
        {
            if (parse.GetValue(instances) is { } n)
            {
                var clusterRate = parse.GetValue(rate) ?? 80;
                return RunAsync(() => ClusterBenchmark.RunAsync(new ClusterBenchmark.Settings(n, parse.GetValue(recipients) ?? 4000, clusterRate,
                    parse.GetValue(vendorLimit) ?? (int)Math.Ceiling(clusterRate * 1.1), parse.GetValue(latency), parse.GetValue(concurrency) ?? 32,
                    parse.GetValue(killOne))));
            }
            return RunAsync(() => BroadcastBenchmark.RunAsync(new BroadcastBenchmark.Settings(parse.GetValue(recipients) ?? 100_000,
                parse.GetValue(latency), parse.GetValue(rate) ?? 0, parse.GetValue(vendorLimit) ?? 0, parse.GetValue(concurrency) ?? 64,
                parse.GetValue(skipBare), parse.GetValue(telemetry), parse.GetValue(unexported))));
        });
        return command;
    }

    private static async Task<int> RunAsync(Func<Task<int>> benchmark)
    {
        await NodeTools.InstallAsync();
        return await benchmark();
    }

    private static Option<int> Number(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
    };

    private static Option<int?> Optional(string name, string description) => new(name) { Description = description };

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static int PositiveRows(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        result.AddError($"--rows takes a positive number, e.g. 1000000 or 1_000_000; not '{text}'.");
        return 0;
    }
}
