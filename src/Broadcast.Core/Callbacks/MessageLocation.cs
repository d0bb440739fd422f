namespace Broadcast.Core.Callbacks;

/// <summary>Where a sent message lives (broadcast, batch, position), found by the vendor's message id or by the
/// number it went to (the latest message to that number wins). Written for vendors whose status callbacks we take
/// (<see cref="Vendors.VendorCapabilities.StatusCallbacks"/>).</summary>
public sealed record MessageLocation(string BroadcastId, int Batch, int Index);
