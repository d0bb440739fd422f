using Broadcast.Benchmarks.Broadcasts;

// dotnet run --project tests/Broadcast.Benchmarks -c Release -- <benchmark> [options]
return args.FirstOrDefault() switch
{
    "broadcast" => await BroadcastBenchmark.RunAsync(args[1..]),
    "uploads" => await Broadcast.Benchmarks.Uploads.UploadBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("""
        usage: dotnet run --project tests/Broadcast.Benchmarks -c Release -- <benchmark> [options]
          uploads [--rows N]
          broadcast [--recipients N] [--latency-ms L] [--rate R] [--vendor-limit V] [--concurrency C] [--skip-bare]
        """);
    return 2;
}
