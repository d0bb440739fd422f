using Broadcast.Tests.Infrastructure;

namespace Broadcast.Tests.Integration.DeliveryOutcomes;

/// <summary>The sandbox and the app for the outcome tests: vendors time out after <see cref="TimeoutSeconds"/>, so a
/// hanging vendor ends a call quickly, and retries come fast.</summary>
public sealed class OutcomeStackFixture : IAsyncLifetime
{
    /// <summary>Short, so that a hang costs little; long enough that a loaded machine's normal answer still comes in time.</summary>
    public const int TimeoutSeconds = 2;

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Vendors:Qiscus:TimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Vendors:Khoros:TimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Vendors:Omnichat:TimeoutSeconds"] = TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public Stack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await Stack.StartAsync(new Dictionary<string, string?>(Settings));

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}
