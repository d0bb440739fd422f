using System.Diagnostics.Metrics;

namespace Broadcast.Benchmarks.Broadcasts;

/// <summary>Counts the storage operations this process makes: every HTTP request .NET sends to Azurite's ports
/// (the System.Net.Http meter sees them whatever the storage SDK).</summary>
public sealed class StorageOperations : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly HashSet<int> _ports;
    private long _count;

    public StorageOperations(params int[] ports)
    {
        _ports = [.. ports];
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "server.port" && tag.Value is int port && _ports.Contains(port))
                {
                    Interlocked.Increment(ref _count);
                    return;
                }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
