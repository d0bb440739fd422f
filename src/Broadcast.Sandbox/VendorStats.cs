namespace Broadcast.Sandbox;

public sealed record VendorStats(long Requests, long Accepted, long Rejected);
