namespace Broadcast.Functions;

/// <summary>The two forms of the one executable (Program.cs picks): what differs between them is only how the
/// orchestrations run and how triggers arrive; every handler, middleware and service is the same.</summary>
public enum AppForm
{
    /// <summary>Kestrel serves the routes, the standalone Durable Task engine runs the orchestrations, the drop watcher
    /// lists the drops container.</summary>
    Standalone,

    /// <summary>An isolated worker of the Functions host: HTTP functions, the blob trigger and the Durable extension.</summary>
    FunctionsWorker,
}
