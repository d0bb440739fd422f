namespace Broadcast.Functions.Hosting;

/// <summary><c>Broadcast.Functions --write-functions DIR</c>: writes one folder with a function.json per function
/// into DIR (the publish script's function app folder), from the app as the given settings configure it.</summary>
public static class FunctionManifestCommand
{
    public const string Flag = "--write-functions";

    public static bool Matches(string[] args) => args.Length >= 2 && args[0] == Flag;

    public static async Task<int> RunAsync(string[] args)
    {
        var directory = Path.GetFullPath(args[1]);
        await using var app = BroadcastApp.Build(args[2..]);
        var functions = FunctionManifest.For(app);
        await FunctionManifest.WriteAsync(directory, functions, CancellationToken.None);
        Console.WriteLine($"Wrote {functions.Count} functions to {directory}");
        return 0;
    }
}
