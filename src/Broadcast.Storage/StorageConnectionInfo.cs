using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Broadcast.Storage;

/// <summary>How the app reaches storage, as <c>/api/health</c> reports it: <c>connection-string</c> or <c>identity</c>,
/// and the endpoints (never a key).</summary>
public sealed record StorageConnectionInfo(string Mode, string BlobEndpoint, string QueueEndpoint, string TableEndpoint);
