using Broadcast.Benchmarks.Broadcasts;

// dotnet run --project tests/Broadcast.Benchmarks -c Release -- <benchmark> [options]
return args.FirstOrDefault() switch
{
    "broadcast" when Array.IndexOf(args, "--instances") is var i and > 0 && i + 1 < args.Length =>
        await ClusterBenchmark.RunAsync(args[1..], int.Parse(args[i + 1])),
    "broadcast" => await BroadcastBenchmark.RunAsync(args[1..]),
    "latency" => await LatencyBenchmark.RunAsync(args[1..]),
    "load" => await Broadcast.Benchmarks.Load.LoadBenchmark.RunAsync(args[1..]),
    "uploads" => await Broadcast.Benchmarks.Uploads.UploadBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        usage: dotnet run --project tests/Broadcast.Benchmarks -c Release -- <benchmark> [options]
          uploads [--rows N]
          latency [--messages 200] [--warmup 20] [--no-fast-path]
          load [--concurrency 200] [--requests 1000] [--uploads U] [--upload-rows 1000]
          broadcast [--recipients N] [--latency-ms L] [--rate R] [--vendor-limit V] [--concurrency C] [--skip-bare] [--telemetry]
          broadcast --instances N [--recipients 4000] [--rate 80] [--vendor-limit rate+10%] [--latency-ms L] [--concurrency 32] [--kill-one]
        """);
    return 2;
}
