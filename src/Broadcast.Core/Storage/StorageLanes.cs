namespace Broadcast.Core.Storage;

/// <summary>The current flow's <see cref="StorageLane"/>: set for an API request (by its method) and for work callers
/// wait on; background otherwise.</summary>
public static class StorageLanes
{
    private static readonly AsyncLocal<StorageLane?> Lane = new();

    public static StorageLane Current => Lane.Value ?? StorageLane.Background;

    /// <summary>For the rest of this flow, storage calls take <paramref name="lane"/>.</summary>
    public static void Enter(StorageLane lane) => Lane.Value = lane;
}
