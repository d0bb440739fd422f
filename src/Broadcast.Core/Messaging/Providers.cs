namespace Broadcast.Core.Messaging;

/// <summary>Providers by their API name: the enum member's name in lower case.</summary>
public static class Providers
{
    public static readonly IReadOnlyList<string> Names = [.. Enum.GetValues<Provider>().Select(Name)];

    public static bool TryParse(string? value, out Provider provider)
    {
        var name = value?.Trim();
        foreach (var candidate in Enum.GetValues<Provider>())
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                provider = candidate;
                return true;
            }
        provider = default;
        return false;
    }

    public static string Name(this Provider provider) =>
        Enum.IsDefined(provider) ? provider.ToString().ToLowerInvariant() : throw new ArgumentOutOfRangeException(nameof(provider));
}
