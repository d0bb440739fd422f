using Broadcast.Core.Messaging;

namespace Broadcast.Core.Vendors;

/// <summary>The configured vendor adapters, by provider: every <see cref="IVendorClient"/> registered in the app.</summary>
public sealed class VendorRegistry
{
    private readonly Dictionary<Provider, IVendorClient> _clients;

    /// <param name="otherSecrets">Secrets besides the vendors' own (callback secrets, API keys) that no stored vendor
    /// error may show.</param>
    public VendorRegistry(IEnumerable<IVendorClient> clients, IEnumerable<string?>? otherSecrets = null)
    {
        _clients = clients.ToDictionary(c => c.Provider);
        // Any vendor may echo anything it was sent or has seen: each one's stored errors hide every vendor's secrets.
        var all = Secrets.Concat(otherSecrets ?? []).ToList();
        foreach (var client in _clients.Values) client.Options.ScrubAlso(all);
    }

    public IVendorClient this[Provider provider] =>
        _clients.TryGetValue(provider, out var client) ? client : throw new ArgumentOutOfRangeException(nameof(provider), provider, "No client registered for this provider.");

    /// <summary>Every registered vendor, in <see cref="Provider"/> order.</summary>
    public IEnumerable<IVendorClient> All => _clients.Values.OrderBy(c => c.Provider);

    public IEnumerable<string> Secrets => _clients.Values.SelectMany(c => c.Options.Secrets).OfType<string>();
}
