namespace Broadcast.Functions.Hosting;

/// <summary>The invocation request itself is not what the Functions host sends.</summary>
public sealed class InvalidInvocationException(string message) : Exception(message);
