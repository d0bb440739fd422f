using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Broadcast.Tests.Infrastructure;

/// <summary>Every log line the app writes, at any level, with its structured values and exception.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public readonly ConcurrentQueue<string> Lines = new();
    public ILogger CreateLogger(string category) => new Logger(this, category);
    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel level) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format)
        {
            // Everything a sink could write: the message, every structured value, the exception.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{level} {category}: {format(state, e)} | {values} | {e}");
        }
    }
}
