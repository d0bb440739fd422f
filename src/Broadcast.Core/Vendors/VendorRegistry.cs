using Broadcast.Core.Messaging;
using Broadcast.Core.Vendors.Khoros;
using Broadcast.Core.Vendors.Omnichat;
using Broadcast.Core.Vendors.Qiscus;

namespace Broadcast.Core.Vendors;

/// <summary>The configured vendor adapters, by provider.</summary>
public sealed class VendorRegistry(QiscusOptions qiscus, KhorosOptions khoros, OmnichatOptions omnichat) : IDisposable
{
    private readonly QiscusClient _qiscus = new(qiscus);
    private readonly KhorosClient _khoros = new(khoros);
    private readonly OmnichatClient _omnichat = new(omnichat);

    public IVendorClient this[Provider provider] => provider switch
    {
        Provider.Qiscus => _qiscus,
        Provider.Khoros => _khoros,
        Provider.Omnichat => _omnichat,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public IEnumerable<string> Secrets => qiscus.Secrets.Concat(khoros.Secrets).Concat(omnichat.Secrets).OfType<string>();

    public void Dispose()
    {
        _qiscus.Dispose();
        _khoros.Dispose();
        _omnichat.Dispose();
    }
}
