namespace Broadcast.Sandbox.Qiscus;

internal sealed class CsvFormatException(string message) : FormatException(message);
