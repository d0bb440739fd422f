using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.Drops;

/// <summary>One sandbox and app with fast drop settings, shared by tests whose drops start nothing.</summary>
public sealed class DropStackFixture : IAsyncLifetime
{
    public Stack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await Stack.StartAsync(DropHelpers.Settings());

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}
