namespace Broadcast.Tests.Infrastructure;

/// <summary>One sandbox and app shared by the tests of a class (xunit class fixture); tests reset the sandbox.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public Stack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await Stack.StartAsync();

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}
