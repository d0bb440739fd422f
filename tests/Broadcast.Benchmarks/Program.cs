using Broadcast.Benchmarks;

// dotnet run --project tests/Broadcast.Benchmarks -c Release -- <benchmark> [options]   (--help lists them)
return await BenchmarkCommands.Create().Parse(args).InvokeAsync();
