namespace Broadcast.Sandbox;

/// <summary>The vendor names used by <see cref="SandboxState"/> and the control endpoints.</summary>
public static class Vendors
{
    public const string Qiscus = "qiscus";
    public const string Khoros = "khoros";
    public const string Omnichat = "omnichat";

    public static IReadOnlyList<string> All { get; } = [Qiscus, Khoros, Omnichat];

    internal static bool TryGetIndex(string? vendor, out int index)
    {
        index = vendor?.ToLowerInvariant() switch
        {
            Qiscus => 0,
            Khoros => 1,
            Omnichat => 2,
            _ => -1,
        };
        return index >= 0;
    }

    internal static int IndexOf(string vendor) =>
        TryGetIndex(vendor, out var index)
            ? index
            : throw new ArgumentException($"Unknown vendor '{vendor}'. Expected one of: {string.Join(", ", All)}.", nameof(vendor));
}
