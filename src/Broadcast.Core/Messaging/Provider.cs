namespace Broadcast.Core.Messaging;

public enum Provider
{
    Qiscus,
    Khoros,
    Omnichat,
}

public static class Providers
{
    public static readonly IReadOnlyList<string> Names = ["qiscus", "khoros", "omnichat"];

    public static bool TryParse(string? value, out Provider provider)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "qiscus": provider = Provider.Qiscus; return true;
            case "khoros": provider = Provider.Khoros; return true;
            case "omnichat": provider = Provider.Omnichat; return true;
            default: provider = default; return false;
        }
    }

    public static string Name(this Provider provider) => provider switch
    {
        Provider.Qiscus => "qiscus",
        Provider.Khoros => "khoros",
        Provider.Omnichat => "omnichat",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}
