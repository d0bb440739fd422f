using System.Net;

namespace Broadcast.Core.Vendors;

/// <summary>A request body that notes when it has been handed whole to the connection. Until then the vendor cannot
/// have acted on the request (it never had all of it), so a call that fails or times out before that is certain not
/// to have delivered anything, and may be retried even under at_most_once.</summary>
internal sealed class TrackedRequestBody : HttpContent
{
    private readonly HttpContent _inner;
    private int _written;

    public TrackedRequestBody(HttpContent inner)
    {
        _inner = inner;
        // Content-Length is computed from the inner body (TryComputeLength); every other header travels as it was.
        foreach (var (name, values) in inner.Headers)
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                Headers.TryAddWithoutValidation(name, values);
    }

    /// <summary>The whole body went to the connection: from here on the vendor may have the request.</summary>
    public bool Written => Volatile.Read(ref _written) == 1;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await _inner.CopyToAsync(stream, context, cancellationToken);
        Volatile.Write(ref _written, 1);
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _inner.CopyTo(stream, context, cancellationToken);
        Volatile.Write(ref _written, 1);
    }

    protected override bool TryComputeLength(out long length)
    {
        var known = _inner.Headers.ContentLength;
        length = known ?? 0;
        return known is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
