namespace Broadcast.Benchmarks;

/// <summary>The benchmarks' command-line options: <c>--name value</c>, with a default when absent or not a number.</summary>
public static class BenchmarkArgs
{
    public static int Int(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
